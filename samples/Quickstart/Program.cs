// Quickstart: what ZCA whitening does to a data set, measured. With no arguments it runs on the bundled UCI digits;
// `--help` lists the options for your own CSV. The walkthrough itself is in Walkthrough.cs.
return MLNetWhitening.Samples.Quickstart.QuickstartCommand.Run(args);
