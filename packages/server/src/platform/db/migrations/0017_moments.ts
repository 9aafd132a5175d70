import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('moments_posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('media', 'text', (c) => c.notNull())
    .addColumn('location_enc', 'text')
    .addColumn('mentions', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // Feeds read newest first per author (friends, mine, a user's page) and the public stream of
  // everyone's posts; both end in `id` so the (created_at, id) cursor is an index range.
  await db.schema
    .createIndex('moments_posts_author')
    .on('moments_posts')
    .columns(['author_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('moments_posts_public')
    .on('moments_posts')
    .columns(['visibility', 'state', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('moments_post_files')
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('post_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('moments_post_files_pk', ['file_id', 'post_id'])
    .execute();

  await db.schema
    .createTable('moments_likes')
    .addColumn('post_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('moments_likes_pk', ['post_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('moments_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('reply_to_comment_id', 'text')
    .addColumn('reply_to_user_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('moments_comments_post')
    .on('moments_comments')
    .columns(['post_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('moments_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('post_id', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('comment_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('moments_notifications_user')
    .on('moments_notifications')
    .columns(['user_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('moments_drafts')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('content_enc', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('moments_drafts_pk', ['user_id', 'kind', 'key'])
    .execute();

  await db.schema
    .createTable('moments_covers')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('moments_covers_file').on('moments_covers').column('file_id').execute();

  // One report per user per post; operators list open ones newest first.
  await db.schema
    .createTable('moments_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull())
    .addColumn('reporter_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('reason_enc', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolved_by', 'text')
    .addUniqueConstraint('moments_reports_once', ['post_id', 'reporter_id'])
    .execute();
  await db.schema
    .createIndex('moments_reports_status')
    .on('moments_reports')
    .columns(['status', 'created_at', 'id'])
    .execute();
}
