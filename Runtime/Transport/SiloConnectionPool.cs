using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Orleans.Payments.Runtime.Transport;

/// <summary>One connection per remote silo address, opened on first use and replaced when it breaks.</summary>
internal sealed class SiloConnectionPool : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SiloConnection>>> _connections = new(StringComparer.Ordinal);
    private readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public async Task<SiloConnection> GetAsync(string address)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var pending = _connections.GetOrAdd(address, key => new Lazy<Task<SiloConnection>>(() => ConnectAsync(key)));
            try
            {
                var connection = await pending.Value.ConfigureAwait(false);
                if (connection.IsOpen)
                {
                    return connection;
                }
            }
            catch (SiloUnavailableException)
            {
                _connections.TryRemove(new KeyValuePair<string, Lazy<Task<SiloConnection>>>(address, pending));
                throw;
            }

            // Broken: drop it and connect anew, once.
            _connections.TryRemove(new KeyValuePair<string, Lazy<Task<SiloConnection>>>(address, pending));
        }

        throw new SiloUnavailableException($"Silo {address} keeps dropping connections.");
    }

    private Task<SiloConnection> ConnectAsync(string address)
    {
        var separator = address.LastIndexOf(':');
        return SiloConnection.ConnectAsync(address[..separator], int.Parse(address[(separator + 1)..], CultureInfo.InvariantCulture), _json, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pending in _connections.Values)
        {
            if (pending.IsValueCreated && pending.Value.IsCompletedSuccessfully)
            {
                await pending.Value.Result.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
