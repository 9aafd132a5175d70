import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Empty, Input } from 'antd';
import { NavBar, SearchBar } from 'antd-mobile';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useLayoutKind } from '../../../app/layout.ts';
import { MOMENTS_PATH } from './paths.ts';
import { PostList } from './PostList.tsx';

/** At most what the server accepts (moments.search). */
const MAX_QUERY = 50;

/** Search of the posts I may see, by words of their text or their location (`?q=`). */
export function SearchPage() {
  const { t } = useTranslation('moments');
  const mobile = useLayoutKind() === 'mobile';
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim().slice(0, MAX_QUERY);
  const [text, setText] = useState(q);
  const scroller = useRef<HTMLDivElement>(null);
  const toTop = () => scroller.current?.scrollTo({ top: 0, behavior: 'smooth' });
  const submit = (value: string) => {
    const next = value.trim().slice(0, MAX_QUERY);
    setParams(next ? { q: next } : {}, { replace: true });
  };
  const back = () => void navigate(MOMENTS_PATH);

  const results = q ? (
    <PostList key={q} feedKey={`search:${q}`} emptyText={t('search.empty')} />
  ) : (
    <div className="zx-mo-state" data-testid="search-hint">
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('search.hint')} />
    </div>
  );
  const title = (
    <span className="zx-mo-title" onDoubleClick={toTop}>
      {t('search.open')}
    </span>
  );

  if (mobile)
    return (
      <div className="zx-mobile-screen zx-mo-screen" data-testid="moments-search">
        <NavBar onBack={back}>{title}</NavBar>
        <div className="zx-mo-m-search" data-testid="search-input">
          <SearchBar
            placeholder={t('search.placeholder')}
            value={text}
            maxLength={MAX_QUERY}
            onChange={setText}
            onSearch={submit}
            onClear={() => submit('')}
          />
        </div>
        <div className="zx-mobile-scroll zx-mo-m-scroll" ref={scroller}>
          {results}
        </div>
      </div>
    );
  return (
    <div className="zx-mo-desk" data-testid="moments-search">
      <header className="zx-mo-bar" onDoubleClick={toTop}>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('back')} />
        {title}
        <Input.Search
          className="zx-mo-search-input"
          data-testid="search-input"
          placeholder={t('search.placeholder')}
          value={text}
          maxLength={MAX_QUERY}
          allowClear
          autoFocus
          onChange={(e) => setText(e.target.value)}
          onSearch={submit}
        />
      </header>
      <div className="zx-mo-scroll" ref={scroller}>
        <div className="zx-mo-column">{results}</div>
      </div>
    </div>
  );
}
