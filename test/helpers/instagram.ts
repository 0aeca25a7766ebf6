import { instagramSignatureOf } from '../../src/platforms/instagram/signature.js';
import { TEST_SECRETS } from './test-nuqta.js';

export const CAFE_ACCOUNT = '17841400000000002';
export const STORE_ACCOUNT = '17841400000000001';

export interface TestComment {
  commentId: string;
  userId: string;
  username?: string;
  text: string;
  mediaId?: string;
  account?: string;
  at?: Date;
}

export function commentWebhook(comments: readonly TestComment[]): string {
  return JSON.stringify({
    object: 'instagram',
    entry: comments.map((comment) => ({
      id: comment.account ?? CAFE_ACCOUNT,
      time: Math.floor((comment.at ?? new Date()).getTime() / 1000),
      changes: [{
        field: 'comments',
        value: {
          from: { id: comment.userId, ...(comment.username ? { username: comment.username } : {}) },
          id: comment.commentId,
          text: comment.text,
          media: { id: comment.mediaId ?? 'media-1', media_product_type: 'FEED' },
        },
      }],
    })),
  });
}

export async function postInstagramWebhook(url: string, body: string, signature: string | null = instagramSignatureOf(body, TEST_SECRETS.IG_APP_SECRET)): Promise<Response> {
  return fetch(`${url}/webhooks/instagram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) },
    body,
  });
}
