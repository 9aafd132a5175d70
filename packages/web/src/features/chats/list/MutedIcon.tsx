/** A crossed-out bell: the conversation is muted. */
export function MutedIcon({ label }: { label: string }) {
  return (
    <svg className="zx-muted-icon" viewBox="0 0 16 16" role="img" aria-label={label}>
      <path
        d="M8 2a4 4 0 0 0-4 4v2.6L2.8 10.5a.5.5 0 0 0 .4.8h9.6a.5.5 0 0 0 .4-.8L12 8.6V6a4 4 0 0 0-4-4Zm-1.5 10.3a1.5 1.5 0 0 0 3 0"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.2"
      />
      <path d="M2.5 2.5l11 11" stroke="currentColor" strokeWidth="1.2" />
    </svg>
  );
}
