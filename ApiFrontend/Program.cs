// The standalone front end talks to silos through a cluster client, which does not exist yet (a later issue).
// Until then the Silo co-hosts this API: see PaymentsApiExtensions.AddPaymentsApi / MapPaymentsApi.
await Console.Error.WriteLineAsync("The standalone front end needs the cluster client (not built yet); run the Silo, which co-hosts this API.");
return 2;
