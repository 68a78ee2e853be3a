package dev.artifactstore.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Step: every ARM resource the store would touch (its registry's resource group, each endpoint's
 * resource group, subnet and DNS zone) lies within the scopes its namespace allows. Runs before
 * credentials and before any Azure request, so a store outside them makes none.
 */
final class CheckScopes implements Step {
  static final String NOT_ALLOWED = "ScopeNotAllowed";

  /** A subscription, or something under one: {@code /subscriptions/<id>[/...]}. */
  private static final Pattern SCOPE = Pattern.compile("(?i)/subscriptions/[^/]+(/[^/]+)*");

  private final Tenancy tenancy;

  CheckScopes(Tenancy tenancy) {
    this.tenancy = tenancy;
  }

  @Override
  public StepResult run(StoreContext ctx) {
    String namespace = ctx.store.getMetadata().getNamespace();
    String annotation;
    try {
      annotation = tenancy.allowedScopes(namespace);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 401 && e.getCode() != 403) {
        // The API server failed (5xx, a timeout, a dropped connection): tried again, not a verdict.
        throw e;
      }
      return stall(
          "The operator cannot read the annotations of namespace "
              + namespace
              + " ("
              + e.getMessage()
              + "), so it cannot tell which scopes its stores may touch; it needs get on that"
              + " namespace.");
    }
    if (annotation == null) {
      return tenancy.requireAllowedScopes()
          ? stall(
              "Namespace "
                  + namespace
                  + " has no annotation "
                  + Tenancy.ALLOWED_SCOPES_ANNOTATION
                  + " and the operator requires one (--require-allowed-scopes): its stores may touch"
                  + " nothing in Azure. Ask the cluster admin to annotate the namespace with the"
                  + " scopes this team may use, e.g. kubectl annotate namespace "
                  + namespace
                  + " "
                  + Tenancy.ALLOWED_SCOPES_ANNOTATION
                  + "=/subscriptions/<subscription>/resourceGroups/<group>.")
          : StepResult.done();
    }
    List<String> scopes = new ArrayList<>();
    for (String scope : Arrays.stream(annotation.split(",")).map(String::trim).toList()) {
      if (scope.isEmpty()) {
        continue;
      }
      if (!SCOPE.matcher(scope).matches()) {
        return stall(
            "Namespace "
                + namespace
                + " has annotation "
                + Tenancy.ALLOWED_SCOPES_ANNOTATION
                + " with '"
                + scope
                + "', which is not an ARM scope (/subscriptions/<id>[/resourceGroups/<group>]);"
                + " its stores touch nothing until the cluster admin fixes it.");
      }
      scopes.add(trimmed(scope));
    }
    List<String> outside = new ArrayList<>();
    for (var touched : touched(ctx.desired).entrySet()) {
      if (scopes.stream().noneMatch(scope -> within(touched.getKey(), scope))) {
        outside.add(touched.getValue() + " " + touched.getKey());
      }
    }
    if (outside.isEmpty()) {
      return StepResult.done();
    }
    return stall(
        "The store would touch "
            + String.join(", ", outside)
            + ", outside the scopes namespace "
            + namespace
            + " allows ("
            + Tenancy.ALLOWED_SCOPES_ANNOTATION
            + ": "
            + String.join(", ", scopes)
            + "). Nothing was requested from Azure. Use resources within those scopes, or ask the"
            + " cluster admin to widen the annotation.");
  }

  /** Every resource id the store touches, with what it is to the store. */
  private static Map<String, String> touched(DesiredStore d) {
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put(d.registryId(), "registry");
    for (DesiredStore.Endpoint e : d.endpoints()) {
      ids.put(e.id(), "private endpoint");
      ids.put(e.subnetId(), "subnet");
      ids.put(e.zoneId(), "private DNS zone");
    }
    return ids;
  }

  /** Whether {@code id} is {@code scope} or lies under it (ARM ids compare without case). */
  static boolean within(String id, String scope) {
    String i = trimmed(id).toLowerCase(Locale.ROOT);
    String s = scope.toLowerCase(Locale.ROOT);
    return i.equals(s) || i.startsWith(s + "/");
  }

  private static String trimmed(String id) {
    return id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
  }

  private static StepResult stall(String message) {
    return new StepResult.Stalled(NOT_ALLOWED, message);
  }
}
