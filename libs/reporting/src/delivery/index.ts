export {
  ReportMailer,
  smtpSettingsOf,
  type NoticeEmail,
  type SmtpConfiguration,
  type ReportEmail,
  type ReportEmailReceipt,
  type SmtpSettings,
} from './report.mailer';
export { buildReportEmail, type ReportEmailContent, type ReportEmailFacts, type ReportEmailLocale } from './report-email.template';
export { isEmailAddress, senderAddressOf } from './email-address';
export { ReportDeliveryError, REPORT_DELIVERY_ERROR_CODES, type ReportDeliveryErrorCode } from './report-delivery.error';
