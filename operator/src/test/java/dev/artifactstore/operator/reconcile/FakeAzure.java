package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Started;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Azure in memory for step tests: three fake ports sharing one log of calls, one table of operation
 * states and one table of failures to throw. Every store of a test lives in one subscription, so
 * the ports for any subscription are these.
 */
final class FakeAzure {
  static final String SUBSCRIPTION = PlatformBaseline.SUBSCRIPTION;

  /** Retry-After of every operation the fakes start: unlike any default, so tests can tell. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(7);

  /** Calls in order, e.g. "GET registry contosoreg", "PUT replication contosoreg/westus". */
  final List<String> calls = new ArrayList<>();

  /** Poll URL -> what polling it says; an unknown URL is GONE, as an expired one is in Azure. */
  final Map<String, OperationState> operations = new HashMap<>();

  private final Map<String, AzureFailure> failures = new HashMap<>();

  final FakeRegistries registries = new FakeRegistries(this);
  final FakeNetwork network = new FakeNetwork(this);
  final FakeDns dns = new FakeDns(this);

  AzureClients.Ports ports() {
    return new AzureClients.Ports(registries, network, dns);
  }

  /** Gives the context these ports, for its own subscription and any other. */
  StoreContext connect(StoreContext ctx) {
    AzureClients.Ports ports = ports();
    ctx.ports = ports;
    ctx.portsFor = subscription -> ports;
    return ctx;
  }

  /** Makes every call labelled exactly {@code call} throw {@code failure}. */
  void failOn(String call, AzureFailure failure) {
    failures.put(call, failure);
  }

  /** Records a call, then throws the failure set for it, if any. */
  void call(String call) {
    calls.add(call);
    AzureFailure failure = failures.get(call);
    if (failure != null) {
      throw failure;
    }
  }

  /** The operation a write starts: polled at "op:" followed by the write's label. */
  Started started(String call) {
    return new Started("op:" + call, RETRY_AFTER);
  }

  OperationState poll(String url) {
    call("POLL " + url);
    return operations.getOrDefault(url, state(OperationState.Status.GONE, null));
  }

  static OperationState state(OperationState.Status status, Duration retryAfter) {
    return new OperationState(status, "", "", retryAfter);
  }

  static OperationState failed(String code, String message) {
    return new OperationState(OperationState.Status.FAILED, code, message, null);
  }

  static AzureFailure failure(AzureFailure.Kind kind, int status, String code) {
    return new AzureFailure(kind, status, code, "the fake says " + code, null);
  }

  /** The calls whose label starts with {@code prefix}, e.g. "PUT ". */
  List<String> calls(String prefix) {
    return calls.stream().filter(c -> c.startsWith(prefix)).toList();
  }
}
