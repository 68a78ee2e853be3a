package dev.artifactstore.operator.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class ArmErrorsTest {
  static ManagementException arm(int status, String code, String retryAfter) {
    HttpHeaders headers = new HttpHeaders();
    if (retryAfter != null) {
      headers.set(HttpHeaderName.RETRY_AFTER, retryAfter);
    }
    HttpResponse response =
        new HttpResponse(new HttpRequest(HttpMethod.GET, "https://127.0.0.1/x")) {
          @Override
          public int getStatusCode() {
            return status;
          }

          @Override
          @Deprecated
          public String getHeaderValue(String name) {
            return headers.getValue(name);
          }

          @Override
          public HttpHeaders getHeaders() {
            return headers;
          }

          @Override
          public Flux<ByteBuffer> getBody() {
            return Flux.empty();
          }

          @Override
          public Mono<byte[]> getBodyAsByteArray() {
            return Mono.empty();
          }

          @Override
          public Mono<String> getBodyAsString() {
            return Mono.empty();
          }

          @Override
          public Mono<String> getBodyAsString(Charset charset) {
            return Mono.empty();
          }
        };
    return new ManagementException(
        code + " happened", response, new ManagementError(code, "details of " + code));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "429, SubscriptionRequestsThrottled, THROTTLED",
    "401, InvalidAuthenticationToken, AUTHENTICATION",
    "403, AuthorizationFailed, AUTHORIZATION",
    "403, RequestDisallowedByPolicy, POLICY",
    "409, AnotherOperationInProgress, CONFLICT",
    "409, AlreadyInUse, CONFLICT",
    "404, ResourceNotFound, NOT_FOUND",
    "404, ResourceGroupNotFound, NOT_FOUND",
    "400, QuotaExceeded, QUOTA",
    "409, RegistryQuotaExceeded, QUOTA",
    "400, InvalidRegistryName, REJECTED",
    "412, PreconditionFailed, REJECTED",
    "408, RequestTimeout, TRANSIENT",
    "500, InternalServerError, TRANSIENT",
    "503, ServiceUnavailable, TRANSIENT"
  })
  void managementErrorsAreClassifiedByStatusAndCode(
      int status, String code, AzureFailure.Kind kind) {
    AzureFailure failure = ArmErrors.classify(arm(status, code, null));
    assertEquals(kind, failure.kind());
    assertEquals(code, failure.code());
    assertEquals(status, failure.status());
    assertEquals("details of " + code, failure.getMessage());
  }

  @Test
  void retryAfterIsKeptInSeconds() {
    assertEquals(
        Duration.ofSeconds(17),
        ArmErrors.classify(arm(429, "SubscriptionRequestsThrottled", "17")).retryAfter());
    assertNull(ArmErrors.classify(arm(429, "SubscriptionRequestsThrottled", null)).retryAfter());
    assertNull(ArmErrors.classify(arm(429, "SubscriptionRequestsThrottled", "soon")).retryAfter());
  }

  @Test
  void connectionFailuresAreTransient() {
    assertEquals(
        AzureFailure.Kind.TRANSIENT,
        ArmErrors.classify(new UncheckedIOException(new IOException("reset"))).kind());
    assertEquals(
        AzureFailure.Kind.TRANSIENT,
        ArmErrors.classify(new RuntimeException(new IOException("closed"))).kind());
  }

  @Test
  void refusedCredentialsAreAuthenticationFailures() {
    AzureFailure failure =
        ArmErrors.classify(new ClientAuthenticationException("invalid_client", null));
    assertEquals(AzureFailure.Kind.AUTHENTICATION, failure.kind());
    assertEquals("AuthenticationFailed", failure.code());
  }

  @Test
  void anAlreadyClassifiedFailurePassesThrough() {
    AzureFailure failure = new AzureFailure(AzureFailure.Kind.CONFLICT, 409, "X", "y", null);
    assertEquals(failure, ArmErrors.classify(failure));
  }
}
