import { AudioMutedOutlined } from '@ant-design/icons';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { VideoView } from '../calls/VideoView.tsx';
import { fitTile } from './meeting-controller.ts';
import { useMeetingView, type Tile } from './meeting-store.ts';

function TileView({ tile, big }: { tile: Tile; big: boolean }) {
  const { t } = useTranslation('meetings');
  const talking = useMeetingView((s) => s.talking.includes(tile.feedId));
  const speakerOn = useMeetingView((s) => s.speakerOn);
  const muted = useMeetingView((s) => {
    if (tile.local) return s.muted;
    return !!s.meeting?.participants.find((p) => p.userId === tile.userId)?.mutedByHost;
  });
  const cameraOff = useMeetingView((s) => tile.local && s.cameraOff);
  const onHeight = useCallback((h: number) => fitTile(tile.feedId, h), [tile.feedId]);
  const name = tile.screen
    ? t('sharing', { name: tile.display })
    : tile.local
      ? `${tile.display} (${t('me')})`
      : tile.display;
  return (
    <div
      className={`zx-tile${big ? ' zx-tile-big' : ''}${talking ? ' zx-tile-talking' : ''}${tile.screen ? ' zx-tile-screen' : ''}`}
      data-testid={tile.local ? 'tile-local' : tile.screen ? 'tile-screen' : 'tile-remote'}
      data-feed={tile.feedId}
      data-user={tile.userId ?? ''}
    >
      {cameraOff ? (
        <div className="zx-tile-novideo">{tile.display.slice(0, 1)}</div>
      ) : (
        <VideoView
          stream={tile.stream}
          version={tile.version}
          local={tile.local}
          speakerOn={speakerOn}
          className="zx-tile-video"
          onHeight={tile.local ? undefined : onHeight}
        />
      )}
      <div className="zx-tile-name">
        {muted && <AudioMutedOutlined className="zx-tile-muted" data-testid="tile-muted" />}
        <span>{name}</span>
      </div>
    </div>
  );
}

/** Grid (every feed the same size) or speaker (the active speaker or a screen big, the rest in a strip). */
export function MeetingStage() {
  const tiles = useMeetingView((s) => s.tiles);
  const layout = useMeetingView((s) => s.layout);
  const speakerFeedId = useMeetingView((s) => s.speakerFeedId);
  const speaker = tiles.find((t) => t.feedId === speakerFeedId);
  // A screen share always takes the big view, even in grid layout.
  const screen = tiles.find((t) => t.screen);
  if ((layout === 'speaker' || screen) && (screen ?? speaker)) {
    const main = (screen ?? speaker) as Tile;
    return (
      <div
        className="zx-stage zx-stage-speaker"
        data-testid="stage"
        data-layout="speaker"
        data-speaker={main.feedId}
      >
        <div className="zx-stage-main">
          <TileView tile={main} big />
        </div>
        <div className="zx-stage-strip">
          {tiles
            .filter((t) => t.feedId !== main.feedId)
            .map((t) => (
              <TileView key={t.feedId} tile={t} big={false} />
            ))}
        </div>
      </div>
    );
  }
  const columns = Math.ceil(Math.sqrt(Math.max(1, tiles.length)));
  return (
    <div
      className="zx-stage zx-stage-grid"
      data-testid="stage"
      data-layout="grid"
      style={{ ['--zx-grid-columns' as string]: String(columns) }}
    >
      {tiles.map((t) => (
        <TileView key={t.feedId} tile={t} big={false} />
      ))}
    </div>
  );
}
