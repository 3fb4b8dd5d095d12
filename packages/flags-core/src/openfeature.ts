import {
  ErrorCode,
  StandardResolutionReasons,
  type EvaluationContext as OpenFeatureContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type ResolutionReason,
} from '@openfeature/server-sdk';
import type { FlagClient } from './client.js';
import type { Reason } from './schema.js';

/** How each Stagegate reason reads in OpenFeature's vocabulary. */
export const OPENFEATURE_REASONS: Record<Exclude<Reason, 'FLAG_NOT_FOUND' | 'SOURCE_ERROR' | 'NOT_READY' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT'>, ResolutionReason> = {
  KILLED: StandardResolutionReasons.DISABLED,
  LAB: StandardResolutionReasons.DISABLED,
  USER_OVERRIDE: StandardResolutionReasons.TARGETING_MATCH,
  ADMIN_OVERRIDE: StandardResolutionReasons.TARGETING_MATCH,
  OPT_IN: StandardResolutionReasons.TARGETING_MATCH,
  OPT_OUT: StandardResolutionReasons.TARGETING_MATCH,
  WORKSPACE_BLOCKED: StandardResolutionReasons.DISABLED,
  WORKSPACE_OPT_IN: StandardResolutionReasons.TARGETING_MATCH,
  ROLLOUT: StandardResolutionReasons.SPLIT,
  GLOBAL: StandardResolutionReasons.STATIC,
  DEFAULT: StandardResolutionReasons.DEFAULT,
};

const error = <T>(value: T, errorCode: ErrorCode, errorMessage: string): ResolutionDetails<T> => ({
  value,
  reason: StandardResolutionReasons.ERROR,
  errorCode,
  errorMessage,
});

/**
 * An OpenFeature provider over a FlagClient, for boolean flags. The OpenFeature `targetingKey` is the
 * user id; `workspaceId` comes from the evaluation context. The Stagegate reason and stage travel in
 * `flagMetadata`.
 */
export class StagegateProvider implements Provider {
  readonly metadata = { name: 'stagegate' } as const;
  readonly runsOn = 'server' as const;

  constructor(private readonly client: FlagClient) {}

  async resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: OpenFeatureContext): Promise<ResolutionDetails<boolean>> {
    const userId = context.targetingKey;
    const workspaceId = context.workspaceId;
    if (!userId) return error(defaultValue, ErrorCode.TARGETING_KEY_MISSING, 'targetingKey (the user id) is required');
    if (typeof workspaceId !== 'string' || !workspaceId) {
      return error(defaultValue, ErrorCode.INVALID_CONTEXT, 'workspaceId (a string) is required in the evaluation context');
    }
    const resolution = await this.client.evaluate(flagKey, { userId, workspaceId });
    if (resolution.reason === 'FLAG_NOT_FOUND') return error(defaultValue, ErrorCode.FLAG_NOT_FOUND, `flag "${flagKey}" does not exist`);
    if (resolution.reason === 'NOT_READY') return error(defaultValue, ErrorCode.PROVIDER_NOT_READY, 'flags are not loaded yet');
    if (resolution.reason === 'SOURCE_ERROR') return error(defaultValue, ErrorCode.GENERAL, 'flags could not be loaded from the source');
    if (resolution.reason === 'TARGETING_KEY_MISSING') return error(defaultValue, ErrorCode.TARGETING_KEY_MISSING, 'targetingKey (the user id) is required');
    if (resolution.reason === 'INVALID_CONTEXT') return error(defaultValue, ErrorCode.INVALID_CONTEXT, 'workspaceId is required in the evaluation context');
    return {
      value: resolution.enabled,
      variant: resolution.enabled ? 'on' : 'off',
      reason: OPENFEATURE_REASONS[resolution.reason],
      flagMetadata: { stagegateReason: resolution.reason, ...(resolution.stage ? { stage: resolution.stage } : {}) },
    };
  }

  async resolveStringEvaluation(_key: string, defaultValue: string): Promise<ResolutionDetails<string>> {
    return error(defaultValue, ErrorCode.TYPE_MISMATCH, 'Stagegate flags are boolean');
  }

  async resolveNumberEvaluation(_key: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return error(defaultValue, ErrorCode.TYPE_MISMATCH, 'Stagegate flags are boolean');
  }

  async resolveObjectEvaluation<T extends JsonValue>(_key: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    return error(defaultValue, ErrorCode.TYPE_MISMATCH, 'Stagegate flags are boolean');
  }

  async onClose(): Promise<void> {
    await this.client.close();
  }
}
