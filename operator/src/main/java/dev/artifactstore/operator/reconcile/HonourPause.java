package dev.artifactstore.operator.reconcile;

import java.util.Map;

/**
 * Step: a store annotated {@value #ANNOTATION}{@code : skip} stops here, before its credentials and
 * any Azure request: no writes (and no reads either, which the pause would allow but nothing
 * needs). Removing the annotation resumes from what Azure has: the next run observes everything.
 */
final class HonourPause implements Step {
  static final String ANNOTATION = "artifactstore.dev/reconcile-policy";
  static final String PAUSED = "Paused";

  @Override
  public StepResult run(StoreContext ctx) {
    Map<String, String> annotations = ctx.store.getMetadata().getAnnotations();
    if (annotations == null || !"skip".equals(annotations.get(ANNOTATION))) {
      return StepResult.done();
    }
    return new StepResult.Paused(
        "Reconciling is paused by the annotation "
            + ANNOTATION
            + "=skip: the operator changes nothing in Azure for this store. Remove the annotation to"
            + " resume from what Azure has.");
  }
}
