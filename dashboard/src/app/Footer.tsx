export function Footer() {
  return (
    <footer class="site-footer">
      <div class="footer-inner">
        <p>
          <strong>EnergyLive</strong> · European electricity data from the{' '}
          <a href="https://transparency.entsoe.eu/" rel="noopener noreferrer">
            ENTSO-E Transparency Platform
          </a>
          . Country shapes from <a href="https://www.naturalearthdata.com/">Natural Earth</a>.
        </p>
        <p>
          <a href="/api/v1/openapi.json">API reference (OpenAPI)</a>
        </p>
      </div>
    </footer>
  );
}
