// A minimal Marionette client (protocol 3): `len:json` frames over TCP, commands [0, id, name, params].
import { connect, type Socket } from 'node:net';

export class Marionette {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private greeting: ((v: unknown) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => { for (const w of this.waiting.values()) w.reject(error); });
  }

  /** Connects, retrying while the browser is still starting, and reads the server's greeting. */
  static async connect(port: number, deadlineMs = 30000): Promise<Marionette> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        const client = new Marionette(socket);
        await new Promise((resolve) => (client.greeting = resolve));
        return client;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      // The length prefix counts UTF-8 octets of the JSON that follows.
      const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
      if (this.buffer.length < colon + 1 + length) return;
      const frame = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(colon + 1 + length);
      if (!Array.isArray(frame)) {
        this.greeting?.(frame);
        continue;
      }
      const [, id, error, result] = frame as [number, number, { error: string; message: string } | null, unknown];
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      if (error) waiter?.reject(new Error(`${error.error}: ${error.message}`));
      else waiter?.resolve(result);
    }
  }

  send(name: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    const json = JSON.stringify([0, id, name, params]);
    this.socket.write(`${Buffer.byteLength(json, 'utf8')}:${json}`);
    return new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  /** Runs `script` in the current context; it ends by calling `arguments[arguments.length - 1](value)`. */
  async executeAsync<T>(script: string, args: unknown[] = []): Promise<T> {
    const result = (await this.send('WebDriver:ExecuteAsyncScript', { script, args })) as { value: T };
    return result.value;
  }

  close(): void {
    this.socket.destroy();
  }
}
