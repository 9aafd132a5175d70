import { App } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useAdminErrorText } from './errors.ts';

export interface PagedRows<R> {
  /** null while a page loads. */
  rows: R[] | null;
  total: number;
  /** Load the current page again (after an action changed a row). */
  reload: () => void;
}

/**
 * One page of a console table for `query`, fetched again whenever the query changes; a failure
 * empties the table and says why.
 */
export function usePagedRows<Q, R>(
  query: Q,
  fetchPage: (query: Q) => Promise<{ rows: R[]; total: number }>,
): PagedRows<R> {
  const { message } = App.useApp();
  const errorText = useAdminErrorText();
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const [rows, setRows] = useState<R[] | null>(null);
  const [total, setTotal] = useState(0);

  const reload = useCallback(() => {
    setRows(null);
    fetchRef
      .current(query)
      .then((page) => {
        setRows(page.rows);
        setTotal(page.total);
      })
      .catch((err: unknown) => {
        setRows([]);
        void message.error(errorText(err));
      });
  }, [query, message, errorText]);
  useEffect(reload, [reload]);

  return { rows, total, reload };
}
