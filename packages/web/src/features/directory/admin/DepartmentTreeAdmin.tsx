import type { Department } from '@zhixin/protocol';
import { App as AntApp, Button, Input, Popconfirm, Space, Tree, TreeSelect, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { childrenOf, reloadDirectoryTree, useLoadedDirectoryTree } from '../useDirectoryTree.ts';
import { directoryErrorText } from './errors.ts';

const TOP = '__top__';

function nodes(all: readonly Department[], parentId: string | null): DataNode[] {
  return childrenOf(all, parentId).map((d) => ({
    key: d.id,
    title: (
      <span data-testid="admin-dir-node" data-department-id={d.id}>
        {d.name} <Typography.Text type="secondary">({d.totalCount})</Typography.Text>
      </span>
    ),
    children: nodes(all, d.id),
  }));
}

interface SelectNode {
  value: string;
  title: string;
  children: SelectNode[];
}

function selectNodes(all: readonly Department[], parentId: string | null): SelectNode[] {
  return childrenOf(all, parentId).map((d) => ({
    value: d.id,
    title: d.name,
    children: selectNodes(all, d.id),
  }));
}

/** The department tree with add, rename, move and delete for the selected department. */
export function DepartmentTreeAdmin() {
  const { t } = useTranslation('directory');
  const { message } = AntApp.useApp();
  const tree = useLoadedDirectoryTree();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = tree.departments.find((d) => d.id === selectedId) ?? null;
  const [newName, setNewName] = useState('');
  const [rename, setRename] = useState('');
  const [moveTo, setMoveTo] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  // Everything is open unless the admin closed it, so departments an import adds show at once.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const expandedKeys = tree.departments.map((d) => d.id).filter((id) => !collapsed.has(id));
  const treeData = useMemo(() => nodes(tree.departments, null), [tree.departments]);
  const targets = useMemo(
    () => [
      { value: TOP, title: t('admin.tree.topLevel'), children: [] },
      ...selectNodes(tree.departments, null),
    ],
    [tree.departments, t],
  );

  async function act(fn: () => Promise<unknown>, after?: () => void) {
    setBusy(true);
    try {
      await fn();
      await reloadDirectoryTree();
      after?.();
      void message.success(t('admin.tree.done'));
    } catch (err) {
      void message.error(directoryErrorText(t, err));
    } finally {
      setBusy(false);
    }
  }

  const add = () =>
    act(
      () => client.directory.createDepartment(selected?.id ?? null, newName.trim()),
      () => setNewName(''),
    );

  return (
    <div className="zx-dir-admin-tree">
      <div className="zx-dir-admin-tree-list" data-testid="admin-dir-tree">
        <Tree
          treeData={treeData}
          expandedKeys={expandedKeys}
          onExpand={(keys) => {
            const open = new Set(keys.map(String));
            setCollapsed(new Set(tree.departments.map((d) => d.id).filter((id) => !open.has(id))));
          }}
          selectedKeys={selectedId ? [selectedId] : []}
          onSelect={(keys) => {
            const id = (keys[0] as string | undefined) ?? null;
            setSelectedId(id);
            setRename(tree.departments.find((d) => d.id === id)?.name ?? '');
            setMoveTo(undefined);
          }}
        />
      </div>
      <div className="zx-dir-admin-panel" data-testid="admin-dir-panel">
        {selected ? (
          <Typography.Title level={5} data-testid="admin-dir-selected">
            {selected.name}{' '}
            <Typography.Text type="secondary">
              {t('admin.tree.counts', { direct: selected.memberCount, total: selected.totalCount })}
            </Typography.Text>
          </Typography.Title>
        ) : (
          <Typography.Text type="secondary">{t('admin.tree.selectHint')}</Typography.Text>
        )}
        <Space.Compact>
          <Input
            placeholder={t('admin.tree.newName')}
            value={newName}
            maxLength={64}
            onChange={(e) => setNewName(e.target.value)}
            data-testid="admin-dir-add-name"
          />
          <Button onClick={() => void add()} disabled={busy || !newName.trim()} data-testid="admin-dir-add">
            {selected ? t('admin.tree.addChild') : t('admin.tree.addTop')}
          </Button>
        </Space.Compact>
        {selected && (
          <>
            <Space.Compact>
              <Input
                value={rename}
                maxLength={64}
                onChange={(e) => setRename(e.target.value)}
                data-testid="admin-dir-rename-name"
              />
              <Button
                onClick={() =>
                  void act(() => client.directory.updateDepartment(selected.id, { name: rename.trim() }))
                }
                disabled={busy || !rename.trim() || rename.trim() === selected.name}
                data-testid="admin-dir-rename"
              >
                {t('admin.tree.rename')}
              </Button>
            </Space.Compact>
            <Space.Compact>
              <TreeSelect
                style={{ minWidth: 240 }}
                treeData={targets}
                treeDefaultExpandAll
                value={moveTo}
                placeholder={t('admin.tree.moveTo')}
                onChange={(v: string) => setMoveTo(v)}
                data-testid="admin-dir-move-target"
              />
              <Button
                onClick={() =>
                  void act(() =>
                    client.directory.moveDepartment(selected.id, moveTo === TOP ? null : (moveTo ?? null)),
                  )
                }
                disabled={busy || moveTo === undefined}
                data-testid="admin-dir-move"
              >
                {t('admin.tree.move')}
              </Button>
            </Space.Compact>
            <Popconfirm
              title={t('admin.tree.deleteConfirm', { name: selected.name })}
              onConfirm={() =>
                void act(
                  () => client.directory.deleteDepartment(selected.id),
                  () => setSelectedId(null),
                )
              }
            >
              <Button danger disabled={busy} className="zx-dir-admin-delete" data-testid="admin-dir-delete">
                {t('admin.tree.delete')}
              </Button>
            </Popconfirm>
          </>
        )}
      </div>
    </div>
  );
}
