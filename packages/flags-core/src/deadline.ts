/** A source call that did not answer in time. */
export class SourceTimeoutError extends Error {
  override readonly name = 'SourceTimeoutError';
  constructor(what: string, readonly timeoutMs: number) {
    super(`${what}: no answer within ${timeoutMs} ms`);
  }
}

/**
 * Runs `call` with a signal that aborts after `timeoutMs` or when `parent` aborts, and settles by
 * then even if `call` ignores its signal (a hung source must not hang its caller).
 */
export function withDeadline<T>(what: string, timeoutMs: number, call: (signal: AbortSignal) => Promise<T>, parent?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = (reason: unknown) => {
      controller.abort(reason);
      reject(reason);
    };
    const onParentAbort = () => stop(parent?.reason);
    const settle = () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    };
    if (parent?.aborted) return stop(parent.reason);
    parent?.addEventListener('abort', onParentAbort, { once: true });
    if (Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        settle();
        stop(new SourceTimeoutError(what, timeoutMs));
      }, timeoutMs);
      // A call still pending must not be what keeps a process alive.
      timer.unref?.();
    }
    let pending: Promise<T>;
    try {
      pending = call(controller.signal);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}
