import type { StatsGranularity } from '@zhixin/sdk';
import { DatePicker, Segmented, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { customRange, granularitiesFor, presetRange, type RangePreset, type StatsRange } from './range.ts';

interface Props {
  range: StatsRange;
  onChange(range: StatsRange): void;
}

const PRESETS: RangePreset[] = ['today', '7d', '30d', '90d', 'custom'];

/** Range presets (today, 7/30/90 days, custom dates) and the granularity the range allows. */
export function RangeControls({ range, onChange }: Props) {
  const { t } = useTranslation('stats');
  return (
    <Space wrap className="zx-stats-controls">
      <Segmented
        data-testid="stats-range"
        value={range.preset}
        options={PRESETS.map((p) => ({
          value: p,
          label: <span data-testid={`stats-range-${p}`}>{t(`range.${p}`)}</span>,
        }))}
        onChange={(value) => {
          const preset = value as RangePreset;
          if (preset === 'custom') onChange({ ...range, preset });
          else onChange(presetRange(preset));
        }}
      />
      {range.preset === 'custom' && (
        <DatePicker.RangePicker
          data-testid="stats-range-picker"
          allowClear={false}
          value={[dayjs(range.from), dayjs(range.to - 1)]}
          disabledDate={(d) => d.isAfter(dayjs().endOf('day')) || d.isBefore(dayjs().subtract(2, 'year'))}
          onChange={(dates) => {
            const [start, end] = dates ?? [];
            if (start && end) onChange(customRange(start, end));
          }}
        />
      )}
      <Select<StatsGranularity>
        data-testid="stats-granularity"
        value={range.granularity}
        style={{ width: 110 }}
        options={granularitiesFor(range).map((g) => ({ value: g, label: t(`granularity.${g}`) }))}
        onChange={(granularity) => onChange({ ...range, granularity })}
      />
    </Space>
  );
}
