import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { TextInput } from '../controls.tsx';
import { useContactSections, type ContactRow } from '../useContactSections.ts';

interface MemberPickerProps {
  selected: ReadonlySet<string>;
  onToggle: (userId: string) => void;
  /** Contacts already in the group: shown ticked and not changeable. */
  locked?: ReadonlySet<string>;
  /** data-testid of each row (a checkbox row, with data-user-id). */
  rowTestId: string;
}

/** My contacts as checkbox rows in letter sections, with a search box. */
export function MemberPicker({ selected, onToggle, locked, rowTestId }: MemberPickerProps) {
  const { t } = useTranslation('contacts');
  const [query, setQuery] = useState('');
  const { sections, total } = useContactSections(query);
  return (
    <div className="zx-ct-picker">
      <div className="zx-ct-picker-search">
        <TextInput value={query} onChange={setQuery} placeholder={t('searchPlaceholder')} type="search" />
      </div>
      {total === 0 && <p className="zx-ct-empty">{t('groups.noContacts')}</p>}
      {total > 0 && sections.length === 0 && <p className="zx-ct-empty">{t('noMatch', { query })}</p>}
      {sections.map((section) => (
        <section key={section.letter}>
          <div className="zx-ct-letter">{section.letter}</div>
          {section.items.map((row) => (
            <PickRow
              key={row.userId}
              row={row}
              testId={rowTestId}
              checked={selected.has(row.userId) || Boolean(locked?.has(row.userId))}
              disabled={Boolean(locked?.has(row.userId))}
              onToggle={() => onToggle(row.userId)}
            />
          ))}
        </section>
      ))}
    </div>
  );
}

function PickRow({
  row,
  testId,
  checked,
  disabled,
  onToggle,
}: {
  row: ContactRow;
  testId: string;
  checked: boolean;
  disabled: boolean;
  onToggle: () => void;
}) {
  return (
    <label
      className={disabled ? 'zx-ct-item zx-ct-pick zx-ct-pick-locked' : 'zx-ct-item zx-ct-pick'}
      data-testid={testId}
      data-user-id={row.userId}
    >
      <input
        type="checkbox"
        className="zx-ct-check"
        checked={checked}
        disabled={disabled}
        onChange={onToggle}
      />
      <UserAvatar userId={row.userId} size={36} />
      <span className="zx-ct-item-name">{row.name}</span>
      {row.remark && row.remark !== row.nickname && <span className="zx-ct-item-nick">{row.nickname}</span>}
    </label>
  );
}
