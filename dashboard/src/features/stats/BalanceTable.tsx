import type { Balance } from '../../api/types';
import { formatEnergy } from '../charts/units';
import { netLabel } from './stats-format';

/** Energy over each border, both directions, busiest border first. */
export function BalanceTable({ balance }: { balance: Balance }) {
  const borders = [...balance.borders].sort(
    (a, b) => b.importMWh + b.exportMWh - (a.importMWh + a.exportMWh) || a.partner.localeCompare(b.partner),
  );
  if (borders.length === 0) return null;
  return (
    <div class="stats-scroll">
      <table class="stats-table">
        <caption>Energy by border</caption>
        <thead>
          <tr>
            <th scope="col">Neighbour</th>
            <th scope="col">Import</th>
            <th scope="col">Export</th>
            <th scope="col">Balance</th>
          </tr>
        </thead>
        <tbody>
          {borders.map((b) => (
            <tr key={b.partner}>
              <th scope="row">{b.partner}</th>
              <td>{formatEnergy(b.importMWh)}</td>
              <td>{formatEnergy(b.exportMWh)}</td>
              <td>{netLabel(b.importMWh - b.exportMWh)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
