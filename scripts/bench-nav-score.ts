// Precision and recall of sets of answers against judged sets, summed over the queries of a measure
// (micro-average: a query with many expected answers weighs more). Pure: no IO.

export interface SetScore {
  /** Answers that are in the judged set. */
  truePositives: number;
  /** Answers given. */
  reported: number;
  /** Answers in the judged set. */
  expected: number;
  /** Judged answers not given, and answers given that were not judged right. */
  missed: string[];
  extra: string[];
}

export function scoreSet(reported: Iterable<string>, expected: Iterable<string>): SetScore {
  const given = new Set(reported);
  const judged = new Set(expected);
  const missed = [...judged].filter((answer) => !given.has(answer));
  const extra = [...given].filter((answer) => !judged.has(answer));
  return {
    truePositives: judged.size - missed.length,
    reported: given.size,
    expected: judged.size,
    missed,
    extra,
  };
}

export function sumScores(scores: readonly SetScore[]): SetScore {
  return scores.reduce<SetScore>(
    (total, score) => ({
      truePositives: total.truePositives + score.truePositives,
      reported: total.reported + score.reported,
      expected: total.expected + score.expected,
      missed: [...total.missed, ...score.missed],
      extra: [...total.extra, ...score.extra],
    }),
    { truePositives: 0, reported: 0, expected: 0, missed: [], extra: [] },
  );
}

/**
 * `97.4% (75/77)`: precision is right answers over answers given, recall right answers over judged
 * answers; an empty whole counts as 100% (nothing given means nothing wrong said).
 */
export function percent(part: number, whole: number): string {
  const share = whole === 0 ? 100 : (100 * part) / whole;
  return `${share.toFixed(1)}% (${part}/${whole})`;
}
