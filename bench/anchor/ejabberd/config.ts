/**
 * The ejabberd configuration of the side-by-side runs (issue 9, item 4), generated per run into a
 * temp dir. It is the lean production shape of a chat-only node, so ejabberd is measured at its
 * best: one plain c2s listener on loopback (TLS off, as our WebSocket listener is in the bench), no
 * traffic shaper, passwords stored plain (a SASL PLAIN login is a lookup and a compare; SCRAM
 * storage would add a PBKDF2 per login), Mnesia (ejabberd's built-in store) for everything.
 */
export interface EjabberdConfigOptions {
  /** The XMPP domain users live on. */
  domain: string;
  port: number;
  /** Listen backlog (ours is 4,096; the kernel caps it at net.core.somaxconn). */
  backlog: number;
  /** Archive every chat message in Mnesia (XEP-0313), the closest match to our durable store. */
  mam: boolean;
  logLevel: 'warning' | 'info' | 'debug';
}

export function ejabberdConfig(o: EjabberdConfigOptions): string {
  const mam = o.mam ? ['  mod_mam:', '    db_type: mnesia', '    default: always'] : [];
  return [
    `loglevel: ${o.logLevel}`,
    'log_rotate_count: 0',
    'hosts:',
    `  - ${JSON.stringify(o.domain)}`,
    'default_db: mnesia',
    'auth_method: internal',
    'auth_password_format: plain',
    'listen:',
    '  -',
    `    port: ${o.port}`,
    '    ip: "127.0.0.1"',
    '    module: ejabberd_c2s',
    `    backlog: ${o.backlog}`,
    '    max_stanza_size: 65536',
    '    shaper: none',
    '    access: c2s',
    'acl:',
    '  local:',
    '    user_regexp: ""',
    'access_rules:',
    '  local:',
    '    allow: local',
    '  c2s:',
    '    allow: all',
    'shaper_rules:',
    '  max_user_sessions: 10',
    'modules:',
    // Rosters and presence as an IM client uses them; XEP-0199 pings answer the clients' keepalives.
    '  mod_roster: {}',
    '  mod_disco: {}',
    '  mod_ping: {}',
    '  mod_offline: {}',
    ...mam,
    '',
  ].join('\n');
}
