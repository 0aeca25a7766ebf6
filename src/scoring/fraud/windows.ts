/**
 * How far back each signal looks, and how much history a loader must fetch
 * for it. The signals, the history builder and the query plan all read these,
 * so a loader that follows the plan gives the signals everything they use.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const FRAUD_WINDOWS = {
  /** This member's own history: bursts, delete cycles and the media for ring checks. */
  memberLookbackMs: 7 * DAY,
  memberLimit: 300,
  /** Everyone's actions on the scored media: newcomer spikes (the last minutes) and arrival cohorts (the day). */
  mediaLookbackMs: 24 * HOUR,
  mediaLimit: 2_000,
  /** Other members' texts on the same brand account: copy-paste detection. */
  textLookbackMs: 24 * HOUR,
  textLimit: 2_000,
  /** Two members "act together" when both act on one media within this gap. */
  coActionGapMs: 10 * MINUTE,
  /** A ring needs the member on at least this many media; with fewer, its co-actors are not read. */
  coActionMinMedia: 3,
  /** At most this many of the member's recent media are checked for co-actors. */
  coActionMediaLimit: 30,
  coActionLimit: 3_000,
  /** Short and long velocity windows for one member. */
  burstShortMs: 1 * MINUTE,
  burstLongMs: 10 * MINUTE,
  /** Repeated comments by one member on one media. */
  mediaRepeatMs: 30 * MINUTE,
  /** Deletes that count towards a delete-and-comment-again cycle. */
  deleteCycleMs: 24 * HOUR,
  /** Newcomers are counted over this window on one media… */
  newcomerWindowMs: 15 * MINUTE,
  /**
   * A wave of accounts first seen on one post, writing the same stock text,
   * is read over this window: farms send a batch in seconds or spread it over
   * up to an hour. First-seen times are fetched for everyone who wrote on the
   * post in it (at most `mediaLimit` actions), in the warm-up too.
   */
  waveWindowMs: 60 * MINUTE,
  /** A verdict names at most this many of a wave's members (its earliest), for the wave's review. */
  waveMembersLimit: 200,
  /** …and only once the campaign has had this long to show its usual audience. */
  newcomerWarmUpMs: 2 * DAY,
  /** In the warm-up, arrival cohorts are read only for arrivals this long after the post's first sighting. */
  postFirstHourMs: 60 * MINUTE,
  /**
   * In the warm-up everyone arriving is new, so a 15-minute cohort gathers
   * whoever happened to come then, next to any crew among them. A crew lands
   * within minutes of itself (a group's call, a batch sent at once): the
   * warm-up cohort is the accounts first seen on the post this close to the member.
   */
  warmUpCohortWindowMs: 5 * MINUTE,
  /**
   * A held or rejected event puts the member's awards of this long before it
   * under review with it (retroactive review): the first actions of a fraud
   * carry no pattern yet when they are scored. A hold is a suspicion and
   * looks back a day; a rejection is near certainty and looks back over the
   * whole member history the scorer reads.
   */
  reviewLookbackMs: { hold: 24 * HOUR, reject: 7 * DAY },
} as const;
