import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asnRecord, cityRecord, writeMmdb } from '../../../electron/test/mmdb-writer.ts';
import { createIntelCase, LISTED, PUBLIC } from '../../fixtures/intel-case.ts';
import { expect, NO_TROUBLE, test } from '../../fixtures/test.ts';
import { openAtSettings } from '../../pages/intel-views.ts';

const HOSTILE_ORG = 'Alsycon <b onmouseover=alert(1)>B.V.</b>';

test.describe('GeoIP and ASN from the analyst\'s .mmdb files', () => {
  test.describe.configure({ timeout: 90_000 });

  test('databases opened in Settings give the grid country and ASN columns and filters, and the dossier its location', async ({ casePage, app, evidence, trouble }) => {
    const page = casePage.page;
    const c = await createIntelCase(evidence.dir);
    const city = join(evidence.dir, 'GeoLite2-City.mmdb');
    const asn = join(evidence.dir, 'GeoLite2-ASN.mmdb');
    const broken = join(evidence.dir, 'not-a-database.mmdb');
    const built = Date.UTC(2026, 10, 20, 12) / 1000;
    writeMmdb(city, { databaseType: 'GeoLite2-City', buildEpoch: built, records: [
      { network: '45.83.64.0/24', data: cityRecord('NL', 'Netherlands', 'Amsterdam') },
      { network: '93.184.216.0/24', data: cityRecord('US', 'United States', 'Norwell') },
    ] });
    writeMmdb(asn, { databaseType: 'GeoLite2-ASN', buildEpoch: built, records: [{ network: '45.83.64.0/24', data: asnRecord(49870, HOSTILE_ORG) }] });
    writeFileSync(broken, 'this is not a MaxMind database');
    const { settings, grid, bar, dossier, enrichment } = await openAtSettings(casePage, c.casePath);
    await expect(page.getByTestId('settings-mmdb-none')).toBeVisible();
    app.dialogs.answerEvidence([city, asn, broken]);
    await page.getByTestId('settings-mmdb-add').click();
    const rows = page.getByTestId('settings-mmdb-row');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText('GeoLite2-City');
    await expect(rows.nth(0)).toContainText('2026-11-20 12:00:00Z');
    await expect(rows.nth(1)).toContainText('GeoLite2-ASN');
    await expect(rows.nth(2)).toContainText('not a MaxMind DB (.mmdb) file');

    await casePage.show('events');
    await bar.apply('src_country:nl');
    await expect(grid.total).toHaveText(String(c.counts[LISTED]));
    await grid.setColumn('Src country', true);
    await grid.setColumn('Src ASN', true);
    await expect.poll(() => grid.intelValues('source-country')).toEqual(Array(c.counts[LISTED]).fill('NL'));
    await expect.poll(() => grid.intelValues('source-asn')).toEqual(Array(c.counts[LISTED]).fill('49870'));
    await expect(grid.cells('source-asn').first()).toContainText(`AS49870 ${HOSTILE_ORG}`);
    await bar.apply('country:US or asn:49870');
    await expect(grid.total).toHaveText(String(c.counts[LISTED]! + c.counts[PUBLIC]!));
    await bar.apply('-src_country:NL');
    await expect(grid.total).toHaveText('3');

    await bar.apply(`src:${LISTED}`);
    await grid.pivotIn(grid.cell(grid.row(0), 'source-ip')).click();
    await dossier.waitUntilReady();
    await expect(enrichment.root.getByTestId('intel-country')).toHaveText('Netherlands (NL)');
    await expect(enrichment.geo).toContainText('Amsterdam');
    await expect(enrichment.root.getByTestId('intel-asn')).toHaveText(`AS49870 ${HOSTILE_ORG}`);
    await expect(enrichment.geo.locator('b')).toHaveCount(0);

    await casePage.show('settings');
    await rows.nth(2).getByRole('button', { name: 'Remove' }).click();
    await expect(rows).toHaveCount(2);
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
