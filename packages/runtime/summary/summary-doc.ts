/**
 * A job summary as data. Actions build one; renderers turn it into GitHub Markdown (the job summary
 * page) or terminal text (the CLI). Every text is plain text, reports' words included: renderers
 * escape it (a `code span` stays code). Write no Markdown into it.
 */
export type SummaryBlock =
  | { kind: 'heading'; text: string; level?: 1 | 2 | 3 }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'list'; items: string[] }
  | { kind: 'chart'; title: string; xLabel: string; yLabel: string; x: string[]; series: ChartSeries[] }
  | { kind: 'details'; title: string; text: string };

export interface ChartSeries {
  name: string;
  values: number[];
}

export type SummaryDoc = SummaryBlock[];
