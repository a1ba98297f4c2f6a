/**
 * A TCP proxy on 127.0.0.1 in front of the test database, to play its faults without touching it: `down`
 * closes every connection and refuses new ones (a killed server), `frozen` keeps connections open but passes
 * nothing either way (a SIGSTOPped one), `up` passes everything again.
 */
import net from 'node:net';

export type ProxyMode = 'up' | 'down' | 'frozen';

export class FaultProxy {
  private mode: ProxyMode = 'up';
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | null = null;

  private constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  /** A proxy to `boltUri` (bolt://host:port) on a port of its own. */
  static async start(boltUri: string): Promise<FaultProxy> {
    const url = new URL(boltUri);
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const proxy = new FaultProxy({ host: url.hostname, port: Number(url.port) }, port);
    await proxy.listen();
    return proxy;
  }

  get uri(): string {
    return `bolt://127.0.0.1:${this.port}`;
  }

  async set(mode: ProxyMode): Promise<void> {
    if (mode === this.mode) return;
    const previous = this.mode;
    this.mode = mode;
    if (mode === 'down') {
      for (const socket of this.sockets) socket.destroy();
      await this.unlisten();
    } else if (mode === 'frozen') {
      for (const socket of this.sockets) socket.pause();
    } else {
      for (const socket of this.sockets) socket.resume();
      if (previous === 'down') await this.listen();
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await this.unlisten();
  }

  private listen(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
        if (this.mode === 'frozen') socket.pause();
      }
      client.on('data', (chunk) => this.mode === 'up' && upstream.write(chunk));
      upstream.on('data', (chunk) => this.mode === 'up' && client.write(chunk));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  private unlisten(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
