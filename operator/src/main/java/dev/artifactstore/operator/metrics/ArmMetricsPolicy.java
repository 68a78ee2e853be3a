package dev.artifactstore.operator.metrics;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Counts and times every ARM request by operation ("PUT registries/replications") and status code,
 * and counts 429s. Sits in each SDK pipeline, so the SDK's own retries are counted too.
 */
public final class ArmMetricsPolicy implements HttpPipelinePolicy {
  private static final Pattern PROVIDER = Pattern.compile("(?i)/providers/([^/]+)/(.*)$");
  private final MeterRegistry registry;

  public ArmMetricsPolicy(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * "GET registries/replications" for
   * .../providers/Microsoft.ContainerRegistry/registries/r/replications/westus.
   */
  static String operation(String method, String path) {
    Matcher m = PROVIDER.matcher(path);
    if (!m.find()) {
      return method + " " + (path.contains("/operation") ? "operations" : "other");
    }
    String[] parts = m.group(2).split("/");
    StringBuilder type = new StringBuilder();
    for (int i = 0; i < parts.length; i += 2) {
      if (type.length() > 0) {
        type.append('/');
      }
      type.append(parts[i].toLowerCase(Locale.ROOT));
    }
    String t = type.toString();
    if (t.contains("operationstatuses")
        || t.contains("operations")
        || t.contains("operationresults")
        || t.contains("privatednsoperation")) {
      t = "operations";
    }
    return method + " " + t;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    String operation =
        operation(
            context.getHttpRequest().getHttpMethod().name(),
            context.getHttpRequest().getUrl().getPath());
    long start = System.nanoTime();
    return next.process()
        .doOnSuccess(
            response -> {
              int status = response.getStatusCode();
              Counter.builder("artifactstore_arm_requests")
                  .description("ARM requests by operation and status code")
                  .tag("operation", operation)
                  .tag("code", Integer.toString(status))
                  .register(registry)
                  .increment();
              if (status == 429) {
                Counter.builder("artifactstore_arm_throttled")
                    .description("ARM answers 429 SubscriptionRequestsThrottled")
                    .register(registry)
                    .increment();
              }
              Timer.builder("artifactstore_arm_request_duration")
                  .description("ARM request latency by operation")
                  .tag("operation", operation)
                  .publishPercentileHistogram()
                  .register(registry)
                  .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            })
        .doOnError(
            e ->
                Counter.builder("artifactstore_arm_requests")
                    .description("ARM requests by operation and status code")
                    .tag("operation", operation)
                    .tag("code", "error")
                    .register(registry)
                    .increment());
  }
}
