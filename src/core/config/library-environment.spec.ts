import { settleLibraryEnvironment } from './library-environment';

describe('settleLibraryEnvironment', () => {
  it("should quiet the AWS SDK's Node 22 notice unless the operator said otherwise", () => {
    const unset: NodeJS.ProcessEnv = {};
    settleLibraryEnvironment(unset);
    expect(unset.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    const chosen: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    settleLibraryEnvironment(chosen);
    expect(chosen.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
  });
});
