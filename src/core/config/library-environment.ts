/**
 * Settings for libraries that read the environment themselves rather than take options. Set
 * here, where the environment is read, unless the operator already set them.
 */
export function settleLibraryEnvironment(env: NodeJS.ProcessEnv): void {
  // The AWS SDK is pinned to releases that support Node 20 (ADR 0012), so its notice that later
  // releases will need Node 22 does not apply; it would also be the one unstructured line in the
  // logs.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
