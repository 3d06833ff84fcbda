// DoH over node:http2 (RFC 8484 §5.2): one multiplexed connection per resolver, streams opened so
// that every common server accepts them, and a refused stream sent once more on a new connection.
import http2 from 'node:http2';
import type { SecureContext } from 'node:tls';
import type { Fetch, HttpRequest, HttpResponse } from '../core/index.ts';
import { boundedResponse } from './bounded-response.ts';

export interface DohTransport {
  readonly fetch: Fetch;
  /** Ends every connection it ever opened, and refuses requests from then on. */
  readonly close: () => void;
}

interface Connection {
  readonly session: http2.ClientHttp2Session;
  /** Settles once the last stream opened here has sent its whole request (END_STREAM). */
  sent: Promise<void>;
}

type Unprocessed = Error & { unprocessed?: boolean };

export function createDohTransport(tls: { secureContext?: SecureContext }): DohTransport {
  const current = new Map<string, Connection>();
  const opened = new Set<http2.ClientHttp2Session>();
  let closed = false;

  const connection = (origin: string): Connection => {
    const open = current.get(origin);
    if (open !== undefined && !open.session.closed && !open.session.destroyed) return open;
    // Unbound's DoH speaks HTTP/2 only; a browser would also multiplex every query on one connection.
    const session = http2.connect(origin, tls);
    const created: Connection = { session, sent: Promise.resolve() };
    opened.add(session);
    const forget = (): void => {
      if (current.get(origin) === created) current.delete(origin);
    };
    session.on('error', forget);
    session.on('close', () => {
      forget();
      opened.delete(session);
    });
    // After GOAWAY (unbound closes idle connections) new streams must go to a new connection.
    session.on('goaway', forget);
    current.set(origin, created);
    return created;
  };

  /** New streams go to a new connection; the streams still running on this one may finish. */
  const retire = (origin: string, old: Connection): void => {
    if (current.get(origin) === old) current.delete(origin);
    if (!old.session.closed) old.session.close();
  };

  const fetchOnce = (target: URL, request: HttpRequest, conn: Connection): Promise<HttpResponse> =>
    boundedResponse(request, (onResponse, onError, body) => {
      const { session } = conn;
      let stream: http2.ClientHttp2Stream | undefined;
      let cancelled = false;
      let release = (): void => {};
      const previous = conn.sent;
      conn.sent = new Promise<void>((resolve) => {
        release = resolve;
      });
      // A stream the server never processed (refused, or cut by GOAWAY / a closing connection) is
      // safe to send again (RFC 9113 §8.7); anything else ending without a response is an error.
      const unprocessed = (): boolean =>
        stream?.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM || session.closed || session.destroyed;
      const failed = (error: Error): void => {
        release();
        onError(Object.assign(error, { unprocessed: unprocessed() }) as Unprocessed);
      };
      // Knot Resolver 5 refuses (REFUSED_STREAM) a stream whose HEADERS arrive while an earlier
      // stream's request is incomplete, so each stream opens once the one before has sent END_STREAM.
      // The wait is a turn of the event loop, not a round-trip: the queries still travel together.
      const open = (): void => {
        if (cancelled) return release();
        if (session.closed || session.destroyed) return failed(new Error('connection closed before the request was sent'));
        const opening = session.request({
          ':method': request.method,
          ':path': `${target.pathname}${target.search}`,
          ...request.headers,
        }, { endStream: request.body === undefined });
        stream = opening;
        opening.on('error', failed);
        opening.on('response', (headers) => onResponse(Number(headers[':status']), (name) => headers[name.toLowerCase()]));
        opening.on('close', () => failed(new Error(`stream closed before a response (code ${opening.rstCode})`)));
        body(opening, () => opening.close(http2.constants.NGHTTP2_CANCEL));
        if (request.body === undefined) return release(); // END_STREAM rode on the HEADERS frame
        opening.end(request.body);
        opening.once('finish', () => whenSent(opening, release));
      };
      void previous.then(open);
      return () => {
        cancelled = true;
        if (stream === undefined) return;
        stream.close(http2.constants.NGHTTP2_CANCEL);
        release();
      };
    });

  // One retry, on a new connection, for a query the server never saw.
  const fetch: Fetch = async (url, request) => {
    const target = new URL(url);
    if (target.protocol !== 'https:') throw new Error(`refusing ${target.protocol} URL: DoH needs https`);
    if (closed) throw new Error('the DoH transport is closed');
    const first = connection(target.origin);
    try {
      return await fetchOnce(target, request, first);
    } catch (error) {
      if ((error as Unprocessed).unprocessed !== true || request.signal.aborted || closed) throw error;
      retire(target.origin, first);
      return fetchOnce(target, request, connection(target.origin));
    }
  };

  return {
    fetch,
    close: () => {
      closed = true;
      for (const session of opened) session.destroy();
      opened.clear();
      current.clear();
    },
  };
}

/**
 * Calls `done` once nghttp2 has framed the stream's END_STREAM, which puts it on the wire ahead of
 * any stream opened afterwards. Node sends queued frames in its own immediate, so this takes a turn.
 */
function whenSent(stream: http2.ClientHttp2Stream, done: () => void): void {
  const check = (): void => {
    if (stream.closed || stream.destroyed || stream.state.localClose === 1) done();
    else setImmediate(check);
  };
  check();
}
