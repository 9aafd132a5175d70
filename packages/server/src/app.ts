import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { createGateway, type Gateway } from './gateway/index.ts';
import { CallerLimits } from './http/caller-limits.ts';
import { OperationRegistry } from './http/operations.ts';
import { registerRestRoutes } from './http/rest.ts';
import { createHttpServer } from './http/server.ts';
import { createAuditModule, type AuditLog } from './modules/audit/index.ts';
import { createAdminModule } from './modules/admin/index.ts';
import { createAuthModule, type AuthService } from './modules/auth/index.ts';
import { createLicenseModule, type LicenseService } from './modules/license/index.ts';
import { createContactsModule, type ContactsService } from './modules/contacts/index.ts';
import { createDirectoryModule, type DirectoryService } from './modules/directory/index.ts';
import { createFriendsModule, type FriendsService } from './modules/friends/index.ts';
import { anyReadAccess, createMomentsModule, type MomentsService } from './modules/moments/index.ts';
import { createCallsModule, type CallsService } from './modules/calls/index.ts';
import { createMeetingsModule, type MeetingsModule } from './modules/meetings/index.ts';
import type { JanusPool } from './platform/media/index.ts';
import { createConversationsModule, type ConversationsService } from './modules/conversations/index.ts';
import { createImagesModule, registerImagesHttp, type ImagesService } from './modules/images/index.ts';
import { createFilesModule, type FilesCore } from './modules/files/index.ts';
import { createFileRefsModule, type FileRefsService } from './modules/filerefs/index.ts';
import { createMediaModule } from './modules/media/index.ts';
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
import { createStatsModule, type StatsService } from './modules/stats/index.ts';
import { createExportsModule, type ExportsService } from './modules/exports/index.ts';
import { createRecommendModule, type RecommendService } from './modules/recommend/index.ts';
import { createSystemModule, type SystemService } from './modules/system/index.ts';
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
  calls: CallsService;
  meetings: MeetingsModule;
  preferences: PreferencesService;
  settings: SettingsService;
  opsAccount: OpsAccountService;
  codes: SecurityCodesService;
  files: FilesCore;
  fileRefs: FileRefsService;
  stats: StatsService;
  license: LicenseService;
  system: SystemService;
  recommend: RecommendService;
  exports: ExportsService;
  moments: MomentsService;
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
  /** The Janus pool meetings use, instead of the one the config describes (failover tests). */
  janusPool?: JanusPool;
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
  // Every successful staff action (operator/admin ops other than reads) is recorded centrally.
  ops.setStaffActionLog(audit);
  // Guessing and flooding operations are limited per caller, on REST and WebSocket alike.
  ops.setCallerLimits(new CallerLimits(config.http.callerLimitMultiplier));
  // Runtime settings first: auth, messages and settings read them (registration, recall, SMS).
  const system = createSystemModule({ ...deps, audit, sms, openApi: () => http.swagger() });
  const images = createImagesModule(deps);
  // Usage statistics count events: new accounts and activity through the users service, logins
  // through auth, messages and new groups through the event sinks of those modules.
  const stats = createStatsModule({
    ...deps,
    online: {
      users: () => gateway.stats().onlineUsers,
      nodes: () => gateway.clusterNodes(),
      leads: () => gateway.leads(),
    },
  });
  const users = stats.countUsers(createUsersModule({ ...deps, images }));
  const license = createLicenseModule({ ...deps, users });
  const auth = createAuthModule({
    ...deps,
    users,
    sms: system.sms,
    registrationOpen: () => system.service.registrationOpen(),
    audit,
    seats: license,
    onLogin: (userId, at) => stats.onLogin(userId, at),
  });
  authRef.current = auth;
  const conversations = createConversationsModule({
    ...deps,
    events: stats.tap(gateway.events),
    users,
    images,
  });
  const files = createFilesModule({ ...deps, audit, conversations });
  // Media facts of uploads; which messages carry which files (download access, retention, evidence).
  const media = createMediaModule({ db: platform.db, log: platform.log });
  files.service.setMediaProcessor(media.processor);
  const fileRefs = createFileRefsModule({
    ...deps,
    conversations,
    files: files.service,
    audit,
    linkedHashes: media.linkedHashes,
  });
  files.service.onDeleted((ids) => fileRefs.service.filesGone(ids));
  stats.useKinds(async (id) => (await conversations.membership(id))?.kind ?? null);
  const contacts = createContactsModule({ ...deps, users });
  const directory = createDirectoryModule({ ...deps, users, auth });
  const friends = createFriendsModule({ ...deps, users, contacts });
  const moments = createMomentsModule({ ...deps, users, contacts, friends, files: files.service });
  // Members of a conversation where a file was sent may read it, and whoever may see a post with it.
  files.service.setReadAccess(anyReadAccess(fileRefs.service.readAccess, moments.readAccess));
  // The operations account has no devices: it notices users writing to it through this tap.
  const opsTap = createMessageTap(stats.tap(gateway.events));
  const messages = createMessagesModule({
    ...deps,
    events: opsTap,
    conversations,
    blocks: friends,
    recallWindowSeconds: () => system.service.recallWindowSeconds(),
    attachments: fileRefs.service.attachments,
    audit,
    seqHints: gateway.seqHints,
  });
  const calls = createCallsModule({
    ...deps,
    conversations,
    messages,
    blocks: friends,
    leads: () => gateway.leads(),
  });
  const meetings = createMeetingsModule({
    ...deps,
    users,
    conversations,
    stats: stats.service,
    route: (path, handler) => gateway.route(path, handler),
    ...(opts.janusPool ? { pool: opts.janusPool } : {}),
  });
  const preferences = createPreferencesModule(deps);
  const settings = createSettingsModule({
    ...deps,
    images,
    registrationOpen: () => system.service.registrationOpen(),
  });
  const recommend = createRecommendModule({ ...deps, users, contacts, conversations, directory, friends });
  const exportsModule = createExportsModule({
    ...deps,
    audit,
    users,
    contacts,
    conversations,
    directory,
    activity: stats.service,
  });
  const codes = createSecurityCodesModule({ ...deps, users, auth, conversations });
  createAdminModule({ ...deps, users, auth, directory, conversations, audit });
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
  files.registerHttp(http);
  fileRefs.start({ markFilesExpired: (refs) => messages.markFilesExpired(refs), http });
  exportsModule.registerHttp(http);
  gateway.attach(http.server);
  await http.ready();
  await opsAccount.start();
  stats.start();
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
      calls,
      meetings,
      preferences,
      settings,
      codes,
      files: files.service,
      fileRefs: fileRefs.service,
      stats: stats.service,
      opsAccount: opsAccount.service,
      license,
      system: system.service,
      recommend,
      exports: exportsModule.service,
      moments,
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
        calls.close();
        await meetings.close();
        system.service.close();
        await opsAccount.stop();
        await gateway.close();
        await http.close();
        await messages.close();
        await stats.stop();
        conversations.close();
        friends.close();
        files.close();
        fileRefs.close();
        auth.close();
        await platform.close();
      })();
      return closing;
    },
  };
}
