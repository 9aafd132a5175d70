import { connect, type Socket } from 'node:net';

/**
 * One lean XMPP client connection for the ejabberd side-by-side runs: a raw TCP socket and just
 * enough XMPP (RFC 6120/6121) to log in like a real client — stream, SASL PLAIN, stream restart,
 * resource bind, initial presence — then send and receive chat messages and XEP-0199 pings. No
 * XML parser: the server's output is matched by the few markers each step waits for, which keeps
 * the footprint per connection to a socket, a string buffer and a few numbers.
 */

export interface XmppTarget {
  host: string;
  port: number;
  domain: string;
  localAddress: string;
}

/** Called for every chat message body received after login. */
export type BodyHandler = (conn: XmppConn, body: string) => void;

type Phase = 'connecting' | 'features' | 'auth' | 'features2' | 'bind' | 'online' | 'closed';

/** Why a login failed, as the scenario reports it. */
export type LoginFailure =
  | 'refused'
  | 'portsExhausted'
  | 'fileLimit'
  | 'authRejected'
  | 'streamError'
  | 'timeout'
  | 'closed'
  | 'other';

function streamHeader(domain: string): string {
  return (
    `<?xml version='1.0'?><stream:stream to='${domain}' xmlns='jabber:client' ` +
    `xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`
  );
}

export function classifySocketError(err: NodeJS.ErrnoException): LoginFailure {
  switch (err.code) {
    case 'EMFILE':
    case 'ENFILE':
      return 'fileLimit';
    case 'EADDRNOTAVAIL':
    case 'EADDRINUSE':
      return 'portsExhausted';
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'ETIMEDOUT':
      return 'refused';
    default:
      return 'other';
  }
}

export class XmppConn {
  private socket: Socket | null = null;
  private buf = '';
  private phase: Phase = 'connecting';
  private settle: ((failure: LoginFailure | null) => void) | null = null;
  /** Messages this connection sent (its sequence numbers run 1, 2, ...). */
  sent = 0;
  /** Highest sequence number received from the partner, and how many arrived. */
  lastSeq = 0;
  received = 0;
  outOfOrder = 0;
  /** Set when an established connection closed without us closing it. */
  dropped = false;
  lastError = '';

  constructor(
    readonly user: string,
    private readonly password: string,
    private readonly target: XmppTarget,
    private readonly onBody: BodyHandler,
  ) {}

  get online(): boolean {
    return this.phase === 'online';
  }

  /** Connect and log in; resolves with null when online, or with why it failed. */
  login(timeoutMs: number): Promise<LoginFailure | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fail('timeout'), timeoutMs);
      this.settle = (failure) => {
        clearTimeout(timer);
        this.settle = null;
        resolve(failure);
      };
      const t = this.target;
      const s = connect({ host: t.host, port: t.port, localAddress: t.localAddress });
      this.socket = s;
      s.setNoDelay(true);
      s.setEncoding('utf8');
      s.on('connect', () => {
        this.phase = 'features';
        s.write(streamHeader(t.domain));
      });
      s.on('data', (chunk: string) => this.onData(chunk));
      s.on('error', (err: NodeJS.ErrnoException) => {
        this.lastError = `${err.code ?? ''} ${err.message}`;
        this.fail(this.phase === 'connecting' ? classifySocketError(err) : 'closed');
      });
      s.on('close', () => {
        if (this.phase === 'online') this.dropped = true;
        this.fail('closed');
        this.phase = 'closed';
      });
    });
  }

  private fail(failure: LoginFailure): void {
    if (this.settle) {
      this.settle(failure);
      this.socket?.destroy();
    }
  }

  private send(text: string): void {
    this.socket?.write(text);
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    if (this.phase === 'online') return this.readStanzas();
    if (this.buf.includes('<stream:error')) {
      this.lastError = this.buf.slice(this.buf.indexOf('<stream:error'), 300);
      return this.fail('streamError');
    }
    switch (this.phase) {
      case 'features':
        if (!this.buf.includes('</stream:features>')) return;
        this.buf = '';
        this.phase = 'auth';
        this.send(
          `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>` +
            Buffer.from(`\0${this.user}\0${this.password}`).toString('base64') +
            '</auth>',
        );
        return;
      case 'auth':
        if (this.buf.includes('<failure')) return this.fail('authRejected');
        if (!this.buf.includes('<success')) return;
        this.buf = '';
        this.phase = 'features2';
        this.send(streamHeader(this.target.domain));
        return;
      case 'features2':
        if (!this.buf.includes('</stream:features>')) return;
        this.buf = '';
        this.phase = 'bind';
        this.send(
          `<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>` +
            '<resource>bench</resource></bind></iq>',
        );
        return;
      case 'bind': {
        const iq = /<iq[^>]*type=['"](result|error)['"]/.exec(this.buf);
        if (!iq) return;
        if (iq[1] === 'error') return this.fail('authRejected');
        this.buf = '';
        this.phase = 'online';
        // Initial presence: the session becomes available and receives messages sent to the bare JID.
        this.send('<presence/>');
        this.settle?.(null);
        return;
      }
      default:
        return;
    }
  }

  /** Hand every complete <message> body to onBody; drop other stanzas (presence, ping results). */
  private readStanzas(): void {
    let buf = this.buf;
    for (;;) {
      const end = buf.indexOf('</message>');
      if (end < 0) break;
      const stanza = buf.slice(buf.lastIndexOf('<message', end), end);
      const open = stanza.indexOf('<body>');
      if (open >= 0) this.onBody(this, stanza.slice(open + 6, stanza.indexOf('</body>', open)));
      buf = buf.slice(end + 10);
    }
    const start = buf.lastIndexOf('<message');
    // Keep an unfinished message, or a tail that may be the start of one split across reads.
    this.buf = start >= 0 ? buf.slice(start) : buf.slice(-16);
  }

  /** A chat message to a bare JID (the partner's session gets it through its presence). */
  sendChat(toUser: string, body: string): void {
    this.sent++;
    this.send(
      `<message to='${toUser}@${this.target.domain}' type='chat' id='m${this.sent}'><body>${body}</body></message>`,
    );
  }

  /** XEP-0199 ping to the server: the keepalive, answered with an iq result. */
  ping(): void {
    this.send(`<iq type='get' id='p' to='${this.target.domain}'><ping xmlns='urn:xmpp:ping'/></iq>`);
  }

  close(): void {
    if (this.phase === 'online') this.send('</stream:stream>');
    this.phase = 'closed';
    this.socket?.end();
    this.socket?.destroy();
  }
}
