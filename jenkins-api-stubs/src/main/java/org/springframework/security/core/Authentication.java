package org.springframework.security.core;

/**
 * Stand-in for Spring Security's {@code Authentication}, which Jenkins 2.516.2 uses in signatures
 * ({@code ACL.SYSTEM2}, {@code includeMatchingAs}). Spring Security is not part of the signature list, so this
 * declares the type only, no member.
 */
public interface Authentication {
}
