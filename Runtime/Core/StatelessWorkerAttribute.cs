namespace Orleans.Payments.Runtime;

/// <summary>
/// One activation of the grain on every silo that calls it: a call made on a silo is served by that silo's own
/// activation and never crosses the network (a client's call goes to the grain's placement owner, as for any grain).
/// So several activations of one grain id may run at once, one per silo; use it only for grains whose state need not
/// be unique in the cluster, such as stream subscribers that hand events to silo-level writers, where it keeps
/// delivery in the process that read the events. Like Orleans' <c>[StatelessWorker(1)]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StatelessWorkerAttribute : Attribute;
