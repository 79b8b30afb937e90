// DistributedFit: a whitening fit over data in shards. `demo` runs it on Orleans (three silos on this machine, the
// digits split into shards); `statistics` and `fit` are the map and reduce steps for any other engine or batch system.
return await MLNetWhitening.Samples.DistributedFit.DistributedFitCommand.RunAsync(args);
