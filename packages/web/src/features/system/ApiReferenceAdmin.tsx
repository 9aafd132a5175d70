import type { OpenApiDocument } from '@zhixin/sdk';
import { App, Collapse, Empty, Input, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { filterGroups, groupOperations, type ApiEntry } from './api-reference.ts';
import { useSystemErrorText } from './errors.ts';
import { InlineMarkdown } from './InlineMarkdown.tsx';
import './system.css';

const METHOD_COLORS: Record<string, string> = {
  GET: 'blue',
  POST: 'green',
  PUT: 'orange',
  PATCH: 'gold',
  DELETE: 'red',
  HEAD: 'default',
};

function Json({ value }: { value: unknown }) {
  return <pre>{JSON.stringify(value, null, 2)}</pre>;
}

function EntryDetails({ entry }: { entry: ApiEntry }) {
  const { t } = useTranslation('system');
  return (
    <div data-testid="api-entry-details">
      <Typography.Paragraph className="zx-api-description">
        <InlineMarkdown text={entry.description} />
      </Typography.Paragraph>
      {entry.parameters.length > 0 && (
        <>
          <Typography.Text strong>{t('api.parameters')}</Typography.Text>
          <Json value={Object.fromEntries(entry.parameters.map((p) => [`${p.name} (${p.in})`, p.example]))} />
        </>
      )}
      {entry.requestExample !== undefined && (
        <>
          <Typography.Text strong>{t('api.request')}</Typography.Text>
          <Json value={entry.requestExample} />
        </>
      )}
      {entry.responseExample !== undefined && (
        <>
          <Typography.Text strong>{t('api.response')}</Typography.Text>
          <Json value={entry.responseExample} />
        </>
      )}
    </div>
  );
}

/** /admin/api (operators): the API reference, generated from the server's OpenAPI document. */
export default function ApiReferenceAdmin() {
  const { t } = useTranslation('system');
  const { message } = App.useApp();
  const errorText = useSystemErrorText();
  const [doc, setDoc] = useState<OpenApiDocument | null>(null);
  const [query, setQuery] = useState('');

  useEffect(() => {
    client.system
      .apiCatalogue()
      .then(setDoc)
      .catch((err: unknown) => void message.error(errorText(err)));
  }, [message, errorText]);

  const groups = useMemo(() => (doc ? groupOperations(doc) : []), [doc]);
  const shown = useMemo(() => filterGroups(groups, query), [groups, query]);
  const total = groups.reduce((n, g) => n + g.entries.length, 0);

  return (
    <div className="zx-api" data-testid="admin-api">
      <Typography.Title level={3}>{t('api.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('api.hint')}</Typography.Paragraph>
      <div className="zx-api-toolbar">
        <Input.Search
          allowClear
          placeholder={t('api.search')}
          value={query}
          data-testid="api-search"
          onChange={(e) => setQuery(e.target.value)}
          style={{ maxWidth: 420 }}
        />
        <Tag data-testid="api-count">{t('api.count', { count: total })}</Tag>
        <a href="/api/docs" target="_blank" rel="noreferrer">
          {t('api.swagger')}
        </a>
      </div>
      {doc && shown.length === 0 && <Empty description={t('api.noMatch')} />}
      <Collapse
        key={query ? 'search' : 'all'}
        defaultActiveKey={query ? shown.map((g) => g.tag) : []}
        items={shown.map((g) => ({
          key: g.tag,
          label: (
            <span data-testid="api-group" data-tag={g.tag}>
              <strong>{g.tag}</strong> <Typography.Text type="secondary">{g.description}</Typography.Text>{' '}
              <Tag>{g.entries.length}</Tag>
            </span>
          ),
          children: (
            <Collapse
              size="small"
              items={g.entries.map((e) => ({
                key: e.key,
                label: (
                  <span className="zx-api-op" data-testid="api-entry" data-operation={e.operationId}>
                    <Tag color={METHOD_COLORS[e.method] ?? 'default'}>{e.method}</Tag>
                    <span className="zx-api-path">{e.path}</span>
                    <span className="zx-api-summary">{e.summary}</span>
                  </span>
                ),
                children: <EntryDetails entry={e} />,
              }))}
            />
          ),
        }))}
      />
    </div>
  );
}
