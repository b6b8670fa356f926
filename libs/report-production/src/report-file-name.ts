import { stripAccents } from '@pilotage/common';
import type { Locale } from '@pilotage/kpi';

/**
 * "rapport-maison-lumiere-2026-10-v1.pdf": what the client sees in their downloads folder and
 * as the e-mail attachment. ASCII only, so it survives every mail client and file system.
 */
export function reportFileName(
  report: { readonly periodStart: string; readonly version: number; readonly kind: string },
  clientName: string,
  locale: Locale,
): string {
  const slug =
    stripAccents(clientName)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'client';
  const word = locale === 'fr' ? 'rapport' : 'report';
  const period = report.kind === 'MONTHLY' ? report.periodStart.slice(0, 7) : report.periodStart;
  return `${word}-${slug}-${period}-v${report.version}.pdf`;
}
