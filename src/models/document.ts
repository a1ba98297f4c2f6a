/** A source document with its full text; unknown metadata stays null rather than being guessed. */
export interface DocumentModel {
  id: string;
  title: string;
  titleIsEditorial: boolean;
  publisher: string | null;
  url: string | null;
  publishedAt: string | null;
  language: string | null;
  attribution: string | null;
  text: string;
}
