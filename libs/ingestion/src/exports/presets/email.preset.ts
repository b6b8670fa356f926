import { dayOfDateTime, englishMonthDay } from '../export-day.readers';
import type { ExportPreset } from '../export-preset.types';

type MailchimpRole =
  'title' | 'list' | 'sendDate' | 'recipients' | 'delivered' | 'uniqueOpens' | 'totalOpens' | 'uniqueClicks' | 'totalClicks' | 'unsubscribes';

/**
 * Mailchimp campaign reports exported as CSV (Analytics > Reports > Export as CSV; column names
 * from Mailchimp Help "Export campaign reports" and the Marketing API report fields:
 * emails_sent, opens.unique_opens, clicks.unique_subscriber_clicks, unsubscribed). One row per
 * campaign, dated on its send day (the opens of the next days count with their send, as the
 * catalog's rates are per send). Unique counts are stored, never rates; total opens and clicks
 * count a person twice and are left out. Mailchimp writes these headers in English.
 */
export const MAILCHIMP_PRESET: ExportPreset<MailchimpRole> = {
  id: 'MAILCHIMP',
  name: 'Mailchimp campaign report',
  platform: 'Mailchimp',
  columns: {
    title: { labels: { en: ['Title', 'Campaign Title', 'Campaign Name'] }, required: true, use: 'campaign' },
    list: { labels: { en: ['List', 'Audience'] }, use: 'source' },
    sendDate: { labels: { en: ['Send Date', 'Send Time'] }, required: true, use: 'date' },
    recipients: { labels: { en: ['Total Recipients', 'Emails Sent'] }, required: true, use: 'emails_sent' },
    delivered: { labels: { en: ['Successful Deliveries'] }, use: 'emails_delivered' },
    uniqueOpens: { labels: { en: ['Unique Opens'] }, use: 'email_opens' },
    totalOpens: { labels: { en: ['Total Opens'] }, ignored: 'counts repeat opens: the catalog counts unique opens' },
    uniqueClicks: { labels: { en: ['Unique Subscriber Clicks', 'Unique Clicks'] }, use: 'email_clicks' },
    totalClicks: { labels: { en: ['Total Clicks'] }, ignored: 'counts repeat clicks: the catalog counts unique clickers' },
    unsubscribes: { labels: { en: ['Unsubscribes'] }, use: 'email_unsubscribes' },
  },
  signature: ['title', 'sendDate', 'recipients'],
  open() {
    return (row) => {
      const date = row.day('sendDate', englishMonthDay);
      const list = row.text('list');
      const source = list === '' ? undefined : `Mailchimp ${list}`;
      const metrics: readonly (readonly [MailchimpRole, string])[] = [
        ['recipients', 'emails_sent'],
        ['delivered', 'emails_delivered'],
        ['uniqueOpens', 'email_opens'],
        ['uniqueClicks', 'email_clicks'],
        ['unsubscribes', 'email_unsubscribes'],
      ];
      const values = metrics.map(([role, metricKey]) => [metricKey, row.amount(role)] as const);
      if (date === null) return;
      for (const [metricKey, valueText] of values) {
        if (valueText !== null) row.emit({ date, metricKey, channel: 'EMAIL', campaign: row.text('title'), source, valueText });
      }
    };
  },
};

type BrevoRole = 'name' | 'sentDate' | 'sent' | 'delivered' | 'opens' | 'clicks' | 'unsubscribed' | 'hardBounces' | 'softBounces' | 'complaints';

/**
 * Brevo (ex-Sendinblue) email campaign statistics exported from Campaigns > Email (Brevo Help
 * "Access, analyze, and export your email campaign report"): one row per campaign, semicolon
 * separated, headers in the account language. Brevo's own definitions (Help "Understand the
 * statistics"): "Opened" and "Clicked" are unique recipients, which is what our metrics count.
 * The send date is day-first in French, month-first in English, as the UI writes it.
 */
export const BREVO_PRESET: ExportPreset<BrevoRole> = {
  id: 'BREVO',
  name: 'Brevo campaign report',
  platform: 'Brevo',
  columns: {
    name: { labels: { en: ['Campaign name', 'Campaign'], fr: ['Nom de la campagne', 'Campagne'] }, required: true, use: 'campaign' },
    sentDate: { labels: { en: ['Sent date', 'Sending date', 'Date sent'], fr: ['Date d’envoi', "Date d'envoi"] }, required: true, use: 'date' },
    sent: { labels: { en: ['Sent', 'Recipients'], fr: ['Envoyés', 'Destinataires'] }, required: true, use: 'emails_sent' },
    delivered: { labels: { en: ['Delivered'], fr: ['Délivrés', 'Distribués'] }, use: 'emails_delivered' },
    opens: { labels: { en: ['Unique opens', 'Opened', 'Openers'], fr: ['Ouvertures uniques', 'Ouverts', 'Ouvreurs'] }, use: 'email_opens' },
    clicks: { labels: { en: ['Unique clicks', 'Clicked', 'Clickers'], fr: ['Clics uniques', 'Cliqués', 'Cliqueurs'] }, use: 'email_clicks' },
    unsubscribed: { labels: { en: ['Unsubscribed', 'Unsubscriptions'], fr: ['Désinscrits', 'Désinscriptions'] }, use: 'email_unsubscribes' },
    hardBounces: { labels: { en: ['Hard bounces'], fr: ['Hard bounces', 'Erreurs définitives'] }, ignored: 'bounces are sent − delivered' },
    softBounces: { labels: { en: ['Soft bounces'], fr: ['Soft bounces', 'Erreurs temporaires'] }, ignored: 'bounces are sent − delivered' },
    complaints: { labels: { en: ['Complaints'], fr: ['Plaintes'] }, ignored: 'no catalog metric for spam complaints' },
  },
  signature: ['name', 'sentDate', 'sent', 'delivered'],
  open(file) {
    const readDay = dayOfDateTime(file.language === 'fr' ? 'DMY' : 'MDY');
    return (row) => {
      const date = row.day('sentDate', readDay);
      const metrics: readonly (readonly [BrevoRole, string])[] = [
        ['sent', 'emails_sent'],
        ['delivered', 'emails_delivered'],
        ['opens', 'email_opens'],
        ['clicks', 'email_clicks'],
        ['unsubscribed', 'email_unsubscribes'],
      ];
      const values = metrics.map(([role, metricKey]) => [metricKey, row.amount(role)] as const);
      if (date === null) return;
      for (const [metricKey, valueText] of values) {
        if (valueText !== null) row.emit({ date, metricKey, channel: 'EMAIL', campaign: row.text('name'), valueText });
      }
    };
  },
};
