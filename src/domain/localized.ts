/** Text a person reads, in both of nuqta's languages. */
export interface Localized {
  en: string;
  ar: string;
}
