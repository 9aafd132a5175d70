import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { createGateway, type Gateway } from './gateway/index.ts';
import { OperationRegistry } from './http/operations.ts';
import { registerRestRoutes } from './http/rest.ts';
import { createHttpServer } from './http/server.ts';
import { createAuditModule, type AuditLog } from './modules/audit/index.ts';
import { createAuthModule, type AuthService } from './modules/auth/index.ts';
import { createContactsModule, type ContactsService } from './modules/contacts/index.ts';
import { createDirectoryModule, type DirectoryService } from './modules/directory/index.ts';
import { createFriendsModule, type FriendsService } from './modules/friends/index.ts';
import { createConversationsModule, type ConversationsService } from './modules/conversations/index.ts';
import { createImagesModule, registerImagesHttp, type ImagesService } from './modules/images/index.ts';
import { createMessagesModule, type MessagesService } from './modules/messages/index.ts';
import {
  createMessageTap,
  createOpsAccountModule,
  departmentsFromDirectory,
  type OpsAccountService,
} from './modules/opsaccount/index.ts';
import { createPreferencesModule, type PreferencesService } from './modules/preferences/index.ts';
import { createSecurityCodesModule, type SecurityCodesService } from './modules/securitycodes/index.ts';
import { createSettingsModule, type SettingsService } from './modules/settings/index.ts';
import { createUsersModule, type UsersService } from './modules/users/index.ts';
import { codeSignerFor } from './platform/crypto/signed-codes.ts';
import { createPlatform, type Platform, type PlatformOverrides } from './platform/platform.ts';
import { createSmsProvider, type SmsProvider } from './platform/sms/index.ts';

export interface Services {
  audit: AuditLog;
  users: UsersService;
  auth: AuthService;
  conversations: ConversationsService;
  messages: MessagesService;
  images: ImagesService;
  contacts: ContactsService;
  directory: DirectoryService;
  friends: FriendsService;
  preferences: PreferencesService;
  settings: SettingsService;
  opsAccount: OpsAccountService;
  codes: SecurityCodesService;
}

export interface App {
  readonly platform: Platform;
  readonly http: FastifyInstance;
  readonly gateway: Gateway;
  readonly services: Services;
  readonly sms: SmsProvider;
  readonly ops: OperationRegistry;
  /** Listen on config.port (0: a random port); resolves to the bound port. */
  listen(): Promise<number>;
  /** Graceful shutdown: stop accepting, say goodbye to sockets, drain commits, close stores. */
  close(): Promise<void>;
}

export interface BuildOptions extends PlatformOverrides {
  sms?: SmsProvider;
}

/** Build the whole server from a config, without listening (tests use `app.http.inject`). */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<App> {
  const platform = await createPlatform(config, opts);
  let ready = false;
  // The registry needs the authenticator, which the auth module (built on the registry) provides.
  const authRef: { current?: AuthService } = {};
  const ops = new OperationRegistry(() => {
    if (!authRef.current) throw new Error('auth module not ready');
    return authRef.current;
  });
  const gateway = createGateway({ platform, ops, authenticator: () => ops.authenticatorOrThrow() });
  const sms = opts.sms ?? createSmsProvider(config.sms, platform.log);
  const deps = { platform, ops, events: gateway.events, codes: codeSignerFor(platform.keyring) };
  const audit = createAuditModule(deps);
  const images = createImagesModule(deps);
  const users = createUsersModule({ ...deps, images });
  const auth = createAuthModule({ ...deps, users, sms });
  authRef.current = auth;
  const conversations = createConversationsModule({ ...deps, users, images });
  const contacts = createContactsModule({ ...deps, users });
  const directory = createDirectoryModule({ ...deps, users, auth });
  const friends = createFriendsModule({ ...deps, users, contacts });
  // The operations account has no devices: it notices users writing to it through this tap.
  const opsTap = createMessageTap(gateway.events);
  const messages = createMessagesModule({ ...deps, events: opsTap, conversations, blocks: friends });
  const preferences = createPreferencesModule(deps);
  const settings = createSettingsModule({ ...deps, images });
  const codes = createSecurityCodesModule({ ...deps, users, auth, conversations });
  const opsAccount = createOpsAccountModule({
    ...deps,
    users,
    conversations,
    messages,
    tap: opsTap,
    departments: departmentsFromDirectory(directory),
  });
  const http = await createHttpServer(platform, () => ready);
  registerRestRoutes(http, ops);
  registerImagesHttp(http, images);
  gateway.attach(http.server);
  await http.ready();
  await opsAccount.start();
  ready = true;

  let closing: Promise<void> | undefined;
  return {
    platform,
    http,
    gateway,
    services: {
      audit,
      users,
      auth,
      conversations,
      messages,
      images,
      contacts,
      directory,
      friends,
      preferences,
      settings,
      codes,
      opsAccount: opsAccount.service,
    },
    sms,
    ops,
    async listen() {
      await http.listen({ port: config.port, host: config.host, backlog: 4096 });
      const addr = http.server.address();
      return typeof addr === 'object' && addr ? addr.port : config.port;
    },
    close() {
      closing ??= (async () => {
        ready = false;
        codes.close();
        await opsAccount.stop();
        await gateway.close();
        await http.close();
        await messages.close();
        conversations.close();
        auth.close();
        await platform.close();
      })();
      return closing;
    },
  };
}
