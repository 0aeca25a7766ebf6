import { describe, expect, it } from 'vitest';
import { fieldNames, topLevelFields } from '../../../src/platforms/emulator/graph-http.js';

describe('Graph `fields` lists', () => {
  it('split at top-level commas only, keeping nested selections and modifiers whole', () => {
    expect(topLevelFields('id, mentioned_comment.comment_id(17894227972186120){id,text,media{id,caption}} ,username,')).toEqual([
      'id',
      'mentioned_comment.comment_id(17894227972186120){id,text,media{id,caption}}',
      'username',
    ]);
  });

  it('name each field once, always with id, or give the defaults when none are asked for', () => {
    expect([...fieldNames('text,from{id,username},comments.limit(5){text}', ['id', 'text', 'timestamp'])].sort()).toEqual(['comments', 'from', 'id', 'text']);
    expect([...fieldNames(undefined, ['id', 'text', 'timestamp'])]).toEqual(['id', 'text', 'timestamp']);
    expect([...fieldNames('  ', ['id'])]).toEqual(['id']);
  });
});
