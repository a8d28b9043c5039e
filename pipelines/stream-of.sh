#!/bin/sh
# stream-of.sh NAME-SEED: the stream a model of pipelines/ml100k.mk was
# trained on (and is evaluated with): split-, ctr- or side-SEED.
name=$1
seed=${name##*-}
case $name in
	mf*) echo "split-$seed" ;;
	fmside*|deepfmside*) echo "side-$seed" ;;
	*) echo "ctr-$seed" ;;
esac
