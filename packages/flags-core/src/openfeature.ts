import {
  ErrorCode,
  OpenFeatureEventEmitter,
  ProviderEvents,
  StandardResolutionReasons,
  type EvaluationContext as OpenFeatureContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type ResolutionReason,
} from '@openfeature/server-sdk';
import type { FlagClient, FlagClientEvent } from './client.js';
import type { Reason } from './schema.js';

type ErrorReason = 'FLAG_NOT_FOUND' | 'SOURCE_ERROR' | 'NOT_READY' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT';

/** How each Stagegate reason reads in OpenFeature's vocabulary. */
export const OPENFEATURE_REASONS: Record<Exclude<Reason, ErrorReason>, ResolutionReason> = {
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

/** The OpenFeature error each Stagegate error reason answers with. */
const OPENFEATURE_ERRORS: Record<ErrorReason, [ErrorCode, string]> = {
  FLAG_NOT_FOUND: [ErrorCode.FLAG_NOT_FOUND, 'the flag does not exist'],
  SOURCE_ERROR: [ErrorCode.GENERAL, 'flags could not be loaded from the source'],
  NOT_READY: [ErrorCode.PROVIDER_NOT_READY, 'flags are not loaded yet'],
  TARGETING_KEY_MISSING: [ErrorCode.TARGETING_KEY_MISSING, 'targetingKey (the user id) is required'],
  INVALID_CONTEXT: [ErrorCode.INVALID_CONTEXT, 'workspaceId (a string) is required in the evaluation context'],
};

const error = <T>(value: T, reason: ErrorReason, flagKey: string): ResolutionDetails<T> => {
  const [errorCode, message] = OPENFEATURE_ERRORS[reason];
  return { value, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage: `${flagKey}: ${message}` };
};

/**
 * An OpenFeature provider over a FlagClient, for boolean flags. The OpenFeature `targetingKey` is the
 * user id; `workspaceId` comes from the evaluation context. The Stagegate reason and stage travel in
 * `flagMetadata`. Its lifecycle follows the client: `initialize` waits for the first flag set (at
 * most the client's startupTimeoutMs) and fails when there is none, so the SDK reports ERROR; after
 * that READY, STALE (serving old data: a bootstrap, or the source failing) and ERROR (failing with
 * nothing loaded) follow the client's status, and every change event is a CONFIGURATION_CHANGED.
 */
export class StagegateProvider implements Provider {
  readonly metadata = { name: 'stagegate' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  private stopFollowing: (() => void) | undefined;
  private initialized = false;

  constructor(private readonly client: FlagClient) {}

  async initialize(): Promise<void> {
    this.stopFollowing ??= this.client.onEvent((event) => this.follow(event));
    const loaded = await this.client.ready();
    this.initialized = true;
    if (!loaded) throw new Error(`Stagegate flags could not be loaded (${this.client.status()})`);
    // The SDK marks the provider READY once this resolves; a bootstrap-only set is stale, said right after.
    if (this.client.status() === 'stale') setTimeout(() => this.client.status() === 'stale' && this.events.emit(ProviderEvents.Stale), 0);
  }

  private follow(event: FlagClientEvent): void {
    if (event.type === 'flags') {
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: event.changedKeys });
    } else if (event.type === 'change') {
      // A flags change is told once its reload shows which flags changed; a user's, a workspace's or a reset can change any answer.
      if (event.change.kind !== 'flags') {
        void this.client.flags().then((flags) => this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: flags.map((flag) => flag.key) }));
      }
    } else if (this.initialized) {
      const message = event.error === undefined ? undefined : String(event.error);
      if (event.status === 'ready') this.events.emit(ProviderEvents.Ready);
      else if (event.status === 'stale') this.events.emit(ProviderEvents.Stale, message === undefined ? {} : { message });
      else if (event.status === 'error') this.events.emit(ProviderEvents.Error, message === undefined ? {} : { message });
    }
  }

  async resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: OpenFeatureContext): Promise<ResolutionDetails<boolean>> {
    const userId = context.targetingKey;
    const workspaceId = context.workspaceId;
    if (!userId) return error(defaultValue, 'TARGETING_KEY_MISSING', flagKey);
    if (typeof workspaceId !== 'string' || !workspaceId) return error(defaultValue, 'INVALID_CONTEXT', flagKey);
    const resolution = await this.client.evaluate(flagKey, { userId, workspaceId });
    switch (resolution.reason) {
      case 'FLAG_NOT_FOUND':
      case 'SOURCE_ERROR':
      case 'NOT_READY':
      case 'TARGETING_KEY_MISSING':
      case 'INVALID_CONTEXT':
        return error(defaultValue, resolution.reason, flagKey);
    }
    return {
      value: resolution.enabled,
      variant: resolution.enabled ? 'on' : 'off',
      reason: OPENFEATURE_REASONS[resolution.reason],
      flagMetadata: { stagegateReason: resolution.reason, ...(resolution.stage ? { stage: resolution.stage } : {}) },
    };
  }

  async resolveStringEvaluation(flagKey: string, defaultValue: string): Promise<ResolutionDetails<string>> {
    return this.notBoolean(flagKey, defaultValue);
  }

  async resolveNumberEvaluation(flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return this.notBoolean(flagKey, defaultValue);
  }

  async resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    return this.notBoolean(flagKey, defaultValue);
  }

  /** Every Stagegate flag is boolean: a known one asked as another type is a TYPE_MISMATCH, an unknown one FLAG_NOT_FOUND. */
  private async notBoolean<T>(flagKey: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    const flags = await this.client.flags();
    if (flags.length === 0 && this.client.status() !== 'ready') return error(defaultValue, this.client.status() === 'error' ? 'SOURCE_ERROR' : 'NOT_READY', flagKey);
    if (!flags.some((flag) => flag.key === flagKey && !flag.archived)) return error(defaultValue, 'FLAG_NOT_FOUND', flagKey);
    return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TYPE_MISMATCH, errorMessage: `${flagKey}: Stagegate flags are boolean` };
  }

  async onClose(): Promise<void> {
    this.stopFollowing?.();
    this.stopFollowing = undefined;
    await this.client.close();
  }
}
