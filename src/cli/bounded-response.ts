// An HTTP response read for the core: resolved at the headers, body bounded, torn down by the AbortSignal.
import type { HttpRequest, HttpResponse } from '../core/index.ts';

export type Readable = NodeJS.ReadableStream & { on(event: 'data', listener: (chunk: Buffer) => void): unknown };

/**
 * The part both transports share: a response promise resolved at the headers, a body read up to
 * maxBytes + 1 octets, and the AbortSignal tearing both down.
 */
export function boundedResponse(
  request: HttpRequest,
  start: (
    onResponse: (status: number, header: (name: string) => string | string[] | undefined) => void,
    onError: (error: Error) => void,
    body: (stream: Readable, cancel: () => void) => void,
  ) => (() => void) | void,
): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    if (request.signal.aborted) return reject(new Error('aborted'));
    const limit = request.maxBytes + 1;
    const chunks: Buffer[] = [];
    let size = 0;
    let outcome: ArrayBuffer | Error | undefined;
    let waiter: { resolve: (b: ArrayBuffer) => void; reject: (e: Error) => void } | undefined;
    let cancel = (): void => {};
    const settle = (result: ArrayBuffer | Error): void => {
      if (outcome !== undefined) return;
      outcome = result;
      request.signal.removeEventListener('abort', onAbort);
      if (result instanceof Error) waiter?.reject(result);
      else waiter?.resolve(result);
    };
    const finish = (): void => {
      const all = Buffer.concat(chunks).subarray(0, limit);
      settle(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer);
    };
    const onError = (error: Error): void => {
      reject(error);
      settle(error);
    };
    const onAbort = (): void => {
      cancel();
      onError(new Error('aborted'));
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    // Until the body starts, an abort must tear down the request itself (connect, TLS, headers).
    const cancelRequest = start(
      (status, header) => resolve({
        status,
        headers: { get: (name) => { const v = header(name); return v === undefined ? null : String(v); } },
        arrayBuffer: () => new Promise<ArrayBuffer>((res, rej) => {
          if (outcome instanceof Error) rej(outcome);
          else if (outcome !== undefined) res(outcome);
          else waiter = { resolve: res, reject: rej };
        }),
      }),
      onError,
      (stream, cancelStream) => {
        cancel = cancelStream;
        stream.on('data', (chunk: Buffer) => {
          if (size < limit) chunks.push(chunk);
          size += chunk.length;
          if (size >= limit) {
            cancelStream();
            finish();
          }
        });
        stream.on('end', finish);
        stream.on('close', finish);
        stream.on('error', onError);
      },
    );
    if (cancelRequest !== undefined) cancel = cancelRequest;
  });
}
