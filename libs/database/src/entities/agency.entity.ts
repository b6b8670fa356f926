import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Locale } from '@pilotage/kpi';

/**
 * A tenant. Its own row is protected like any tenant-owned row: the policy compares `id`
 * with the tenant set on the transaction, so an agency only ever sees itself.
 */
@Entity({ name: 'agencies' })
@Index('agencies_slug_key', ['slug'], { unique: true })
export class AgencyEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  slug!: string;

  /** Logo as a data URI (PNG or SVG, validated on upload): inlined in reports, never fetched. */
  @Column('text', { name: 'logo_data_uri', nullable: true })
  logoDataUri!: string | null;

  @Column('text', { name: 'primary_color', default: '#1F3A5F' })
  primaryColor!: string;

  @Column('text', { name: 'accent_color', default: '#E07A5F' })
  accentColor!: string;

  @Column('text', { name: 'font_family', default: 'Inter' })
  fontFamily!: string;

  @Column('text', { name: 'footer_text', nullable: true })
  footerText!: string | null;

  @Column('text', { name: 'default_locale', default: 'fr' })
  defaultLocale!: Locale;

  @Column('text', { default: 'EUR' })
  currency!: string;

  @Column('text', { name: 'time_zone', default: 'Europe/Paris' })
  timeZone!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
