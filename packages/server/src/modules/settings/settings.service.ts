import { ClientSettingsPatch, type ClientSettings } from '@zhixin/protocol';
import { Value } from 'typebox/value';
import type { Config } from '../../config.ts';
import type { ImagesService } from '../images/index.ts';
import type { SettingsRepo } from './settings.repo.ts';

/** The row holding what administrators changed; unchanged fields follow the config. */
const CLIENT_KEY = 'client';

export interface SettingsService {
  /** The config's defaults overlaid by what administrators changed. */
  client(): Promise<ClientSettings>;
  /** IMAGE_NOT_FOUND when an image id names no uploaded image; nothing changes then. */
  updateClient(patch: ClientSettingsPatch): Promise<ClientSettings>;
}

type ConfigSlice = Pick<Config, 'client'> & { auth: Pick<Config['auth'], 'registrationOpen'> };

function defaultsFrom(config: ConfigSlice): Omit<ClientSettings, 'registrationOpen'> {
  const { productName, launch, welcome } = config.client;
  return {
    productName,
    launch: { ...launch, imageId: launch.imageId || null },
    welcome: { ...welcome, imageId: welcome.imageId || null },
  };
}

/** Merge a patch into the stored overrides (both partial, one level deep). */
function mergePatch(base: ClientSettingsPatch | null, patch: ClientSettingsPatch): ClientSettingsPatch {
  const out: ClientSettingsPatch = { ...base };
  if (patch.productName !== undefined) out.productName = patch.productName;
  if (patch.launch) out.launch = { ...base?.launch, ...patch.launch };
  if (patch.welcome) out.welcome = { ...base?.welcome, ...patch.welcome };
  return out;
}

export function createSettingsService(
  repo: SettingsRepo,
  images: Pick<ImagesService, 'requireExisting'>,
  config: ConfigSlice,
  now: () => number = Date.now,
  /** Whether registration is open now (runtime system settings); default: the config. */
  registrationOpen: () => Promise<boolean> = async () => config.auth.registrationOpen,
): SettingsService {
  async function overrides(): Promise<ClientSettingsPatch | null> {
    const stored = await repo.get(CLIENT_KEY);
    // Written by this service only; a row that no longer fits (an older schema) is ignored.
    return Value.Check(ClientSettingsPatch, stored) ? stored : null;
  }

  function resolve(o: ClientSettingsPatch | null, open: boolean): ClientSettings {
    const d = defaultsFrom(config);
    return {
      productName: o?.productName ?? d.productName,
      launch: { ...d.launch, ...o?.launch },
      welcome: { ...d.welcome, ...o?.welcome },
      registrationOpen: open,
    };
  }

  return {
    async client() {
      return resolve(await overrides(), await registrationOpen());
    },

    async updateClient(patch) {
      const imageIds = [patch.launch?.imageId, patch.welcome?.imageId].filter(
        (id): id is string => typeof id === 'string',
      );
      await images.requireExisting(imageIds);
      const next = mergePatch(await overrides(), patch);
      await repo.put(CLIENT_KEY, next, now());
      return resolve(next, await registrationOpen());
    },
  };
}
