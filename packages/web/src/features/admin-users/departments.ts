import type { Department } from '@zhixin/protocol';
import { useEffect, useState } from 'react';
import { client } from '../../app/client.ts';

export interface DepartmentOption {
  value: string;
  /** The path from the top, e.g. 总部 / 研发中心 / 前端组. */
  label: string;
}

/** Every department as a select option labelled with its path. */
export function departmentOptions(all: readonly Department[]): DepartmentOption[] {
  const byId = new Map(all.map((d) => [d.id, d]));
  const pathOf = (d: Department): string => {
    const names: string[] = [];
    for (let cur: Department | undefined = d; cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
      names.unshift(cur.name);
      if (names.length > 64) break;
    }
    return names.join(' / ');
  };
  return all.map((d) => ({ value: d.id, label: pathOf(d) })).sort((a, b) => a.label.localeCompare(b.label));
}

/** The department options, loaded once per mount (empty while loading or when none exist). */
export function useDepartmentOptions(): DepartmentOption[] {
  const [options, setOptions] = useState<DepartmentOption[]>([]);
  useEffect(() => {
    let live = true;
    client.directory
      .tree()
      .then((all) => live && setOptions(departmentOptions(all)))
      .catch(() => live && setOptions([]));
    return () => {
      live = false;
    };
  }, []);
  return options;
}
