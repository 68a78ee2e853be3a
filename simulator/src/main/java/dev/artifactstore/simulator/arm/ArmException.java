package dev.artifactstore.simulator.arm;

import java.util.LinkedHashMap;
import java.util.Map;

/** An ARM error answer: an HTTP status and an {@code {"error":{"code","message"}}} body. */
public class ArmException extends RuntimeException {
  private final int status;
  private final String code;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public ArmException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public static ArmException notFound(String type, String name, String resourceGroup) {
    return new ArmException(
        404,
        "ResourceNotFound",
        "The Resource '"
            + type
            + "/"
            + name
            + "' under resource group '"
            + resourceGroup
            + "' was not found. For more details please go to"
            + " https://aka.ms/ARMResourceNotFoundFix");
  }

  public static ArmException resourceGroupNotFound(String resourceGroup) {
    return new ArmException(
        404, "ResourceGroupNotFound", "Resource group '" + resourceGroup + "' could not be found.");
  }

  /** 403 as ARM answers a caller without the permission for an action on a scope. */
  public static ArmException authorizationFailed(String client, String action, String scope) {
    return new ArmException(
        403,
        "AuthorizationFailed",
        "The client '"
            + client
            + "' does not have authorization to perform action '"
            + action
            + "' over scope '"
            + scope
            + "' or the scope is invalid.");
  }

  public static ArmException badRequest(String code, String message) {
    return new ArmException(400, code, message);
  }

  public static ArmException conflict(String code, String message) {
    return new ArmException(409, code, message);
  }

  public ArmException header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
