package dev.artifactstore.operator.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns whatever the Azure SDK throws into an {@link AzureFailure}, in one place. */
public final class ArmErrors {
  private ArmErrors() {}

  public static AzureFailure classify(Throwable thrown) {
    Throwable t = unwrap(thrown);
    if (t instanceof AzureFailure failure) {
      return failure;
    }
    if (t instanceof ManagementException e) {
      HttpResponse response = e.getResponse();
      int status = response == null ? 0 : response.getStatusCode();
      String code =
          e.getValue() == null || e.getValue().getCode() == null ? "" : e.getValue().getCode();
      String message =
          e.getValue() == null || e.getValue().getMessage() == null
              ? String.valueOf(e.getMessage())
              : e.getValue().getMessage();
      return new AzureFailure(kindOf(status, code), status, code, message, retryAfter(response));
    }
    if (t instanceof ClientAuthenticationException || isCredentialFailure(t)) {
      return new AzureFailure(
          AzureFailure.Kind.AUTHENTICATION, 401, "AuthenticationFailed", firstLine(t), null);
    }
    if (t instanceof IOException
        || t instanceof UncheckedIOException
        || t instanceof TimeoutException
        || hasCause(t, IOException.class)) {
      return new AzureFailure(
          AzureFailure.Kind.TRANSIENT, 0, "", "connection failed: " + firstLine(t), null);
    }
    return new AzureFailure(AzureFailure.Kind.TRANSIENT, 0, "", firstLine(t), null);
  }

  static AzureFailure.Kind kindOf(int status, String code) {
    String lower = code.toLowerCase(Locale.ROOT);
    if (status == 429) {
      return AzureFailure.Kind.THROTTLED;
    }
    if (status == 401) {
      return AzureFailure.Kind.AUTHENTICATION;
    }
    if (status == 403) {
      return lower.equals("requestdisallowedbypolicy")
          ? AzureFailure.Kind.POLICY
          : AzureFailure.Kind.AUTHORIZATION;
    }
    if (lower.contains("quota")) {
      return AzureFailure.Kind.QUOTA;
    }
    if (status == 404) {
      return AzureFailure.Kind.NOT_FOUND;
    }
    if (status == 409) {
      return AzureFailure.Kind.CONFLICT;
    }
    if (status == 408 || status >= 500 || status == 0) {
      return AzureFailure.Kind.TRANSIENT;
    }
    return AzureFailure.Kind.REJECTED;
  }

  static Duration retryAfter(HttpResponse response) {
    if (response == null) {
      return null;
    }
    String value = response.getHeaderValue("Retry-After");
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean isCredentialFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String name = c.getClass().getName();
      if (name.startsWith("com.microsoft.aad.msal4j.") || name.startsWith("com.azure.identity.")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof ExecutionException
            || current instanceof CompletionException
            || current.getClass().getName().equals("reactor.core.Exceptions$ReactiveException"))
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static String firstLine(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
