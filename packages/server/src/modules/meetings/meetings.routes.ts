import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { MeetingControls } from './meetings.controls.ts';
import type { MeetingsLifecycle } from './meetings.service.ts';

const ok = { ok: true as const };

/** meetings.*: thin wrappers over the lifecycle and the host controls. */
export function registerMeetingsRoutes(
  ops: OperationRegistry,
  meetings: MeetingsLifecycle,
  controls: MeetingControls,
): void {
  ops.register('meetings.create', async (req, ctx) => meetings.create(requirePrincipal(ctx), req));
  ops.register('meetings.get', async (req, ctx) => meetings.get(requirePrincipal(ctx), req.meetingId));
  ops.register('meetings.update', async (req, ctx) => meetings.update(requirePrincipal(ctx), req));
  ops.register('meetings.invite', async (req, ctx) => ({
    invitedUserIds: await meetings.invite(requirePrincipal(ctx), req),
  }));
  ops.register('meetings.join', async (req, ctx) => meetings.join(requirePrincipal(ctx), req));
  ops.register('meetings.leave', async (req, ctx) => {
    await meetings.leave(requirePrincipal(ctx), req.meetingId);
    return ok;
  });
  ops.register('meetings.muteAll', async (req, ctx) =>
    controls.muteAll(requirePrincipal(ctx), req.meetingId, true),
  );
  ops.register('meetings.unmuteAll', async (req, ctx) =>
    controls.muteAll(requirePrincipal(ctx), req.meetingId, false),
  );
  ops.register('meetings.mute', async (req, ctx) =>
    controls.mute(requirePrincipal(ctx), req.meetingId, req.userId),
  );
  ops.register('meetings.unmute', async (req, ctx) =>
    controls.unmute(requirePrincipal(ctx), req.meetingId, req.userId),
  );
  ops.register('meetings.remove', async (req, ctx) =>
    controls.remove(requirePrincipal(ctx), req.meetingId, req.userId),
  );
  ops.register('meetings.lock', async (req, ctx) =>
    controls.lock(requirePrincipal(ctx), req.meetingId, true),
  );
  ops.register('meetings.unlock', async (req, ctx) =>
    controls.lock(requirePrincipal(ctx), req.meetingId, false),
  );
  ops.register('meetings.setCoHost', async (req, ctx) =>
    controls.setCoHost(requirePrincipal(ctx), req.meetingId, req.userId, req.coHost),
  );
  ops.register('meetings.end', async (req, ctx) => controls.end(requirePrincipal(ctx), req.meetingId));
  ops.register('meetings.history', async (req, ctx) => meetings.history(requirePrincipal(ctx), req));
  ops.register('meetings.deleteHistory', async (req, ctx) => {
    await meetings.deleteHistory(requirePrincipal(ctx), req.meetingIds);
    return ok;
  });
  ops.register('meetings.record', async (req, ctx) => meetings.record(requirePrincipal(ctx), req.meetingId));
}
