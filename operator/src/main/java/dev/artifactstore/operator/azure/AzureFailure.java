package dev.artifactstore.operator.azure;

import java.time.Duration;

/**
 * An Azure call that did not succeed, classified once at the adapter boundary. Steps decide on
 * {@link #kind()} and {@link #code()}; they never parse SDK exceptions.
 */
public final class AzureFailure extends RuntimeException {
  /** What the failure means for the operator. */
  public enum Kind {
    /** 404: the resource (or its group) does not exist. */
    NOT_FOUND,
    /** 429: ARM's request budget is spent; wait for Retry-After. */
    THROTTLED,
    /** 409: another operation runs, or the resource is in a state that forbids the call. */
    CONFLICT,
    /** 408, 5xx, dropped connections, timeouts: retry soon. */
    TRANSIENT,
    /** The credential was refused. Needs a human. */
    AUTHENTICATION,
    /** 403: the identity lacks a permission. Needs a human. */
    AUTHORIZATION,
    /** 403 RequestDisallowedByPolicy. Needs a human (or the policy to change). */
    POLICY,
    /** A quota is exhausted. Needs a human. */
    QUOTA,
    /** Any other 4xx: the request is wrong for Azure's current state. */
    REJECTED
  }

  private final Kind kind;
  private final int status;
  private final String code;
  private final Duration retryAfter;

  /** The resource a write was for, when the operator's own budget held the write back. */
  private final String queuedWrite;

  public AzureFailure(Kind kind, int status, String code, String message, Duration retryAfter) {
    this(kind, status, code, message, retryAfter, null);
  }

  AzureFailure(
      Kind kind, int status, String code, String message, Duration retryAfter, String queuedWrite) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.queuedWrite = queuedWrite;
  }

  /**
   * The path of the resource whose write the operator's budget queued (it comes back with a
   * ticket); null for anything else.
   */
  public String queuedWrite() {
    return queuedWrite;
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return status;
  }

  /** ARM's error code, e.g. AlreadyInUse; "" when there is none. */
  public String code() {
    return code;
  }

  /** Retry-After when Azure sent one; null otherwise. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** "AuthorizationFailed: The client ... does not have authorization ..." */
  public String describe() {
    return code.isEmpty() ? getMessage() : code + ": " + getMessage();
  }
}
