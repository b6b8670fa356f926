import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { TokenCipher, type SealedSecret } from '@pilotage/common';

/**
 * Seals endpoint secrets with the connectors' keys (CONNECTOR_TOKEN_KEYS, AES-256-GCM). The
 * associated data `webhook:<agencyId>:<endpointId>` binds a ciphertext to its row: copied to
 * another endpoint or agency, it no longer opens.
 */
@Injectable()
export class WebhookSecretVault {
  private readonly cipher: TokenCipher;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.cipher = new TokenCipher(config.connectors.tokenKeys);
  }

  seal(agencyId: string, endpointId: string, secret: string): SealedSecret {
    return this.cipher.seal(secret, associatedData(agencyId, endpointId));
  }

  open(agencyId: string, endpointId: string, sealed: SealedSecret): string {
    return this.cipher.open(sealed, associatedData(agencyId, endpointId));
  }
}

function associatedData(agencyId: string, endpointId: string): string {
  return `webhook:${agencyId}:${endpointId}`;
}
