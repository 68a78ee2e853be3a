package dev.artifactstore.simulator.arm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Matches ARM paths against templates such as {@code
 * /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}}.
 * Literal segments compare case-insensitively, as ARM does.
 */
public final class Router {
  /** Serves one route. */
  @FunctionalInterface
  public interface Handler {
    ArmResponse handle(ArmRequest request);
  }

  /** A route: its template, methods, the provider namespace (api-versions) and resource type. */
  public record Route(
      String[] segments,
      Set<String> methods,
      String namespace,
      String resourceType,
      Handler handler) {}

  /** A matched route with the variables of its template. */
  public record Match(Route route, Map<String, String> vars) {}

  private final List<Route> routes = new ArrayList<>();

  public void add(
      String template,
      Set<String> methods,
      String namespace,
      String resourceType,
      Handler handler) {
    routes.add(new Route(split(template), methods, namespace, resourceType, handler));
  }

  /** The first route whose template matches, for any method; null if none. */
  public Match match(String path) {
    String[] parts = split(path);
    for (Route route : routes) {
      Map<String, String> vars = matchSegments(route.segments(), parts);
      if (vars != null) {
        return new Match(route, vars);
      }
    }
    return null;
  }

  /** All routes with the same template shape as the first match, so 405 can be told from 404. */
  public Match match(String path, String method) {
    String[] parts = split(path);
    Match anyMethod = null;
    for (Route route : routes) {
      Map<String, String> vars = matchSegments(route.segments(), parts);
      if (vars != null) {
        if (route.methods().contains(method)) {
          return new Match(route, vars);
        }
        if (anyMethod == null) {
          anyMethod = new Match(route, vars);
        }
      }
    }
    return anyMethod;
  }

  private static Map<String, String> matchSegments(String[] template, String[] parts) {
    if (template.length != parts.length) {
      return null;
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith("}")) {
        if (parts[i].isEmpty()) {
          return null;
        }
        vars.put(t.substring(1, t.length() - 1), parts[i]);
      } else if (!t.toLowerCase(Locale.ROOT).equals(parts[i].toLowerCase(Locale.ROOT))) {
        return null;
      }
    }
    return vars;
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }
}
