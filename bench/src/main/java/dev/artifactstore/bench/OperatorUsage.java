package dev.artifactstore.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The operator process's CPU and memory, looked at through the whole run: heap and RSS move, so the
 * report keeps the highest seen rather than the last.
 */
final class OperatorUsage {
  private final OperatorProcess operator;
  private final List<OperatorProcess.Sample> samples =
      Collections.synchronizedList(new ArrayList<>());

  OperatorUsage(OperatorProcess operator) {
    this.operator = operator;
  }

  OperatorProcess.Sample sample() {
    OperatorProcess.Sample sample = operator.sample();
    samples.add(sample);
    return sample;
  }

  OperatorProcess.Sample last() {
    return samples.get(samples.size() - 1);
  }

  /** {@code built}: the sample taken when every store was Ready. */
  Result.Operator summary(OperatorProcess.Sample built) {
    long peakRss = operator.peakRssBytes();
    long maxHeap =
        samples.stream().mapToLong(OperatorProcess.Sample::heapUsedBytes).max().orElse(-1);
    long maxRss = samples.stream().mapToLong(OperatorProcess.Sample::rssBytes).max().orElse(-1);
    return new Result.Operator(last().cpuSeconds(), built.cpuSeconds(), maxHeap, maxRss, peakRss);
  }
}
